package dev.vprompt.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Maps failures to one line on standard error and an exit code: bad input (IllegalArgumentException
 * and its subclasses, picocli's parameter errors, a directory another process writes, a full disk)
 * exits 2; anything else 1, with the stack trace only under {@code --verbose}; an exhausted heap is one
 * line with exit code 1.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
    PrintWriter err = cli.getErr();
    if (e.getCause() instanceof OutOfMemoryError) {
      String name = qualifiedName(cli);
      err.println(name.isEmpty() ? Main.outOfMemory() : Main.outOfMemory(name));
      return Main.EXIT_FAILURE;
    }
    if (e instanceof dev.vprompt.train.trainer.TrainingStoppedException) {
      err.println(prefix(cli) + ": " + e.getMessage());
      return Main.EXIT_STOPPED;
    }
    if (e instanceof IllegalArgumentException) {
      err.println(prefix(cli) + ": error: " + e.getMessage());
      return Main.EXIT_BAD_INPUT;
    }
    err.println(prefix(cli) + ": failed: " + describe(e));
    if (parsed.hasMatchedOption("--verbose") || Boolean.getBoolean("vprompt.verbose")) {
      e.printStackTrace(err);
    } else {
      err.println("(run with --verbose for the stack trace)");
    }
    return Main.EXIT_FAILURE;
  }

  static int onBadArguments(ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    PrintWriter err = cli.getErr();
    err.println(prefix(cli) + ": error: " + e.getMessage());
    err.println("Try 'vprompt " + qualifiedName(cli) + " --help' for the options.");
    return Main.EXIT_BAD_INPUT;
  }

  /** "vprompt data info", not "vprompt info": the command as the user typed it. */
  private static String prefix(CommandLine cli) {
    String name = qualifiedName(cli);
    return name.isEmpty() ? "vprompt" : "vprompt " + name;
  }

  private static String qualifiedName(CommandLine cli) {
    String name = cli.getCommandSpec().qualifiedName(" ");
    return name.startsWith("vprompt ") ? name.substring("vprompt ".length()) : "";
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }
}

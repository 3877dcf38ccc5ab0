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
      err.println(Main.outOfMemory(cli.getCommandName()));
      return Main.EXIT_FAILURE;
    }
    if (e instanceof dev.vprompt.train.trainer.TrainingStoppedException) {
      err.println("vprompt " + cli.getCommandName() + ": " + e.getMessage());
      return Main.EXIT_STOPPED;
    }
    if (e instanceof IllegalArgumentException) {
      err.println("vprompt " + cli.getCommandName() + ": error: " + e.getMessage());
      return Main.EXIT_BAD_INPUT;
    }
    err.println("vprompt " + cli.getCommandName() + ": failed: " + describe(e));
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
    err.println("vprompt " + cli.getCommandName() + ": error: " + e.getMessage());
    err.println("Try 'vprompt " + qualifiedName(cli) + " --help' for the options.");
    return Main.EXIT_BAD_INPUT;
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

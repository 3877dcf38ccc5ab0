package dev.vprompt.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code vprompt} command. */
public final class Main {

  /** Bad input: unknown names, malformed shapes, unreadable or corrupt files. */
  public static final int EXIT_BAD_INPUT = 2;
  /** The work itself failed (a NaN loss, an I/O error while writing). */
  public static final int EXIT_FAILURE = 1;
  /**
   * Stopped by a signal at a step boundary, as a shell reports Ctrl-C (128 + SIGINT); the JVM itself exits
   * with 128 + the signal's number (143 after SIGTERM).
   */
  public static final int EXIT_STOPPED = 130;

  private Main() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(out, err, args));
  }

  /** Runs one command line, writing to the given streams; the test entry point. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new VpromptCommand());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(new ErrorHandler());
    cli.setParameterExceptionHandler(ErrorHandler::onBadArguments);
    try {
      return cli.execute(args);
    } catch (OutOfMemoryError e) {
      err.println(outOfMemory(args));
      return EXIT_FAILURE;
    }
  }

  /** One line for a heap exhausted despite the size checks: what ran out and how to give it more. */
  static String outOfMemory(String... args) {
    String command = args.length == 0 ? "vprompt" : "vprompt " + args[0];
    return String.format(java.util.Locale.ROOT, "%s: failed: out of Java heap memory (limit %.1f GiB): the data or "
        + "the model needs more; raise the limit with VPROMPT_JAVA_OPTS=-Xmx8g, or refuse such inputs earlier with "
        + "--max-bytes / --max-pixels", command, Runtime.getRuntime().maxMemory() / (double) (1L << 30));
  }
}

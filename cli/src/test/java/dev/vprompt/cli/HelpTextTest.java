package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's --help renders: a bare '%' in a description makes picocli print a warning on standard
 * error and show the raw text (an unreplaced "%n") instead.
 */
class HelpTextTest {

  @Test
  void everyCommandsHelpFormatsWithoutPicocliWarnings() {
    List<List<String>> commands = new ArrayList<>();
    collect(new CommandLine(new VpromptCommand()), new ArrayList<>(), commands);
    PrintStream original = System.err;
    for (List<String> command : commands) {
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      CliRun run;
      try {
        List<String> args = new ArrayList<>(command);
        args.add("--help");
        run = CliRun.of(args.toArray(String[]::new));
      } finally {
        System.setErr(original);
      }
      String stderr = captured.toString(StandardCharsets.UTF_8);
      assertEquals(0, run.exitCode(), command + ": " + run.err());
      assertFalse(stderr.contains("picocli WARN") || run.err().contains("picocli WARN"), command + ": " + stderr);
      assertFalse(run.out().contains("%n"), command + " help shows a raw format string: " + run.out());
    }
  }

  private static void collect(CommandLine command, List<String> path, List<List<String>> into) {
    into.add(path);
    command.getSubcommands().forEach((name, sub) -> {
      if (!sub.getCommandSpec().name().equals(name)) {
        return;  // an alias of a subcommand already listed
      }
      List<String> next = new ArrayList<>(path);
      next.add(name);
      collect(sub, next, into);
    });
  }
}

package dev.vprompt.studies.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the sweep does with what it finds in a run directory. */
class RunStateTest {

  @TempDir Path temp;

  private static SweepRun run(int index, String name) {
    return new SweepRun(index, name, List.of(new Setting("seed", "seeds", "42", Origin.commandLine("test"))));
  }

  @Test
  void statesOfRunDirectories() throws Exception {
    assertEquals(RunState.NEW, RunState.of(temp.resolve("absent")));
    Files.createDirectories(temp.resolve("empty"));
    assertEquals(RunState.NEW, RunState.of(temp.resolve("empty")));
    Files.createDirectories(temp.resolve("stale/checkpoints"));
    assertEquals(RunState.STALE, RunState.of(temp.resolve("stale")));
    Files.createDirectories(temp.resolve("partial/checkpoints"));
    Files.writeString(temp.resolve("partial/config.json"), "{}");
    assertEquals(RunState.PARTIAL, RunState.of(temp.resolve("partial")));
    Files.writeString(temp.resolve("partial/summary.json"), "{}");
    assertEquals(RunState.DONE, RunState.of(temp.resolve("partial")));
    Files.createDirectories(temp.resolve("foreign"));
    Files.writeString(temp.resolve("foreign/notes.txt"), "mine");
    assertEquals(RunState.FOREIGN, RunState.of(temp.resolve("foreign")));
  }

  @Test
  void theExecutorTrainsResumesSkipsAndClearsStaleDirectories() throws Exception {
    Files.createDirectories(temp.resolve("b/checkpoints"));          // killed before config.json: stale
    Files.createDirectories(temp.resolve("c"));
    Files.writeString(temp.resolve("c/config.json"), "{}");          // stopped: resume
    Files.createDirectories(temp.resolve("d"));
    Files.writeString(temp.resolve("d/summary.json"), "{}");         // finished: skip
    List<List<String>> launched = new ArrayList<>();
    List<String> checked = new ArrayList<>();
    StringWriter log = new StringWriter();
    SweepExecutor executor = new SweepExecutor(temp, new TrainOptions(java.util.Set.of("seed"), java.util.Set.of()),
        args -> {
          launched.add(args);
          return args.contains("--resume") ? 0 : 1;
        }, (run, dir) -> checked.add(run.name()), new PrintWriter(log, true));
    List<SweepExecutor.Outcome> outcomes = executor.execute(List.of(run(0, "a"), run(1, "b"), run(2, "c"), run(3, "d")), 4);
    assertEquals(List.of(SweepExecutor.Action.FAILED, SweepExecutor.Action.FAILED, SweepExecutor.Action.RESUMED,
        SweepExecutor.Action.SKIPPED), outcomes.stream().map(SweepExecutor.Outcome::action).toList());
    assertEquals(List.of("--seed", "42", "--out", temp.resolve("a").toString()), launched.get(0));
    assertEquals(List.of("--resume", "--out", temp.resolve("c").toString()), launched.get(2));
    assertFalse(Files.exists(temp.resolve("b/checkpoints")), "the stale directory was cleared before training");
    assertEquals(List.of("c", "d"), checked, "existing runs are checked against the sweep before anything runs");
    assertTrue(log.toString().contains("[4/4] d: finished before, skipped"), log.toString());

    Files.createDirectories(temp.resolve("e"));
    Files.writeString(temp.resolve("e/notes.txt"), "mine");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> executor.execute(List.of(run(0, "e")), 1));
    assertTrue(e.getMessage().contains("holds files but no config.json"), e.getMessage());
    assertTrue(Files.exists(temp.resolve("e/notes.txt")));
  }
}

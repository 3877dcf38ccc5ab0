package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.core.run.DirectoryLock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run directories under hostile conditions: a missing checkpoint, two writers, a crash in the middle of
 * replacing {@code best}, a damaged metrics.jsonl, a state.json that does not fit. Each case starts from
 * a copy of one finished one-epoch run.
 */
class RunReliabilityTest {

  @TempDir static Path shared;
  @TempDir Path temp;

  private static Path finished;

  /** 27 training images, 3 for validation, 100 test images: a whole run costs little more than its graph. */
  @BeforeAll
  static void trainOneEpoch() throws IOException {
    String data = TinyData.write(shared.resolve("data"));
    finished = shared.resolve("run");
    CliRun train = CliRun.of("train", "--data", data, "--train-per-class", "3", "--epochs", "1", "--batch-size", "16",
        "--prompt", "none", "--threads", "2", "--out", finished.toString());
    assertEquals(0, train.exitCode(), train.out() + train.err());
  }

  private Path copyOfFinishedRun(String name) throws IOException {
    return DirectoryCopy.of(finished, temp.resolve(name));
  }

  @Test
  void resumeRefusesToStartOverOnResultsAndRestartSetsThemAside() throws Exception {
    Path run = copyOfFinishedRun("lost-last");
    dev.vprompt.core.run.FileTrees.delete(run.resolve("checkpoints/last"));
    byte[] metrics = Files.readAllBytes(run.resolve("metrics.jsonl"));
    byte[] best = Files.readAllBytes(run.resolve("checkpoints/best/model.data-00000-of-00001"));
    byte[] summary = Files.readAllBytes(run.resolve("summary.json"));

    CliRun resume = CliRun.of("train", "--resume", "--out", run.toString());
    assertEquals(2, resume.exitCode(), resume.out() + resume.err());
    assertTrue(resume.err().contains("checkpoints/last: missing") && resume.err().contains("--restart")
        && resume.err().contains("summary.json"), resume.err());
    assertArrayEquals(metrics, Files.readAllBytes(run.resolve("metrics.jsonl")));
    assertArrayEquals(best, Files.readAllBytes(run.resolve("checkpoints/best/model.data-00000-of-00001")));
    assertArrayEquals(summary, Files.readAllBytes(run.resolve("summary.json")));

    CliRun restart = CliRun.of("train", "--restart", "--out", run.toString(), "--threads", "2");
    assertEquals(0, restart.exitCode(), restart.out() + restart.err());
    Path aside;
    try (Stream<Path> entries = Files.list(run)) {
      aside = entries.filter(p -> p.getFileName().toString().startsWith("set-aside-")).findFirst().orElse(null);
    }
    assertNotNull(aside, restart.out());
    assertArrayEquals(metrics, Files.readAllBytes(aside.resolve("metrics.jsonl")));
    assertArrayEquals(summary, Files.readAllBytes(aside.resolve("summary.json")));
    assertArrayEquals(best, Files.readAllBytes(aside.resolve("checkpoints/best/model.data-00000-of-00001")));
    assertEquals(1, Files.readAllLines(run.resolve("metrics.jsonl")).size());
    assertTrue(Files.isDirectory(run.resolve("checkpoints/last")));
  }

  @Test
  void aSecondWriterIsRefusedNamingTheHoldersPidAndAKilledHolderLeavesNoLock() throws Exception {
    Path run = copyOfFinishedRun("locked");
    Path models = temp.resolve("models");
    Files.createDirectories(models);
    Process holder = hold(run);
    Process modelHolder = hold(models);
    try {
      for (String[] args : List.of(
          new String[] {"train", "--resume", "--out", run.toString()},
          new String[] {"train", "--restart", "--out", run.toString()},
          new String[] {"eval", "--run", run.toString()})) {
        CliRun second = CliRun.of(args);
        assertEquals(2, second.exitCode(), String.join(" ", args) + ": " + second.out() + second.err());
        assertTrue(second.err().contains("in use by another vprompt process (PID " + holder.pid() + ")"), second.err());
      }
      CliRun export = CliRun.of("export", "--run", run.toString(), "--out", models.toString(), "--verify-images", "8");
      assertEquals(2, export.exitCode(), export.out() + export.err());
      assertTrue(export.err().contains("PID " + modelHolder.pid()), export.err());
      try (Stream<Path> versions = Files.list(models)) {
        assertTrue(versions.allMatch(DirectoryLock::isLockFile), "no version written while locked");
      }
    } finally {
      holder.destroyForcibly().waitFor();
      modelHolder.destroyForcibly().waitFor();
    }
    try (DirectoryLock again = DirectoryLock.tryAcquire(run)) {
      assertNotNull(again, "SIGKILL released the lock");
    }
    try (DirectoryLock mine = DirectoryLock.acquire(run)) {
      CliRun sameProcess = CliRun.of("train", "--resume", "--out", run.toString());
      assertEquals(2, sameProcess.exitCode(), sameProcess.err());
      assertTrue(sameProcess.err().contains("this process, PID " + ProcessHandle.current().pid()), sameProcess.err());
    }
  }

  private Process hold(Path dir) throws IOException {
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), LockHolder.class.getName(), dir.toString())
        .redirectErrorStream(true).start();
    BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("locked", lines.readLine());
    return process;
  }

  @Test
  void aCrashBetweenTheRenamesOfBestIsRepairedByTheNextCommand() throws Exception {
    Path run = copyOfFinishedRun("best-swap");
    Path checkpoints = run.resolve("checkpoints");
    byte[] best = Files.readAllBytes(checkpoints.resolve("best/model.data-00000-of-00001"));
    Files.move(checkpoints.resolve("best"), checkpoints.resolve(".best.old-1f2e3d"));
    Files.createDirectories(checkpoints.resolve(".best.tmp-4c5b6a"));
    Files.write(checkpoints.resolve(".best.tmp-4c5b6a/model.index"), new byte[] {1, 2, 3});

    CliRun eval = CliRun.of("eval", "--run", run.toString(), "--json", "--threads", "2");
    assertEquals(0, eval.exitCode(), eval.out() + eval.err());
    assertArrayEquals(best, Files.readAllBytes(checkpoints.resolve("best/model.data-00000-of-00001")));
    try (Stream<Path> entries = Files.list(checkpoints)) {
      assertEquals(List.of("best", "last"), entries.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void aDamagedMetricsTailIsSetAsideAndTheResumeGoesOn() throws Exception {
    Path run = copyOfFinishedRun("damaged-metrics");
    Path metrics = run.resolve("metrics.jsonl");
    byte[] intact = Files.readAllBytes(metrics);
    byte[] damage = "{\"epoch\":2,\"lr\":0.0\n\u00ff\u00fe not UTF-8\n".getBytes(StandardCharsets.ISO_8859_1);
    Files.write(metrics, damage, StandardOpenOption.APPEND);

    CliRun resume = CliRun.of("train", "--resume", "--out", run.toString(), "--threads", "2");
    assertEquals(0, resume.exitCode(), resume.out() + resume.err());
    assertTrue(resume.out().contains("2 damaged line(s) moved to"), resume.out());
    assertArrayEquals(intact, Files.readAllBytes(metrics));
    Path aside;
    try (Stream<Path> entries = Files.list(run)) {
      aside = entries.filter(p -> p.getFileName().toString().startsWith("metrics.jsonl.damaged-")).findFirst()
          .orElseThrow();
    }
    assertArrayEquals(damage, Files.readAllBytes(aside));
    assertFalse(Files.exists(run.resolve(".metrics.jsonl.tmp")));
  }

  @Test
  void aStateJsonThatDoesNotFitTheConfigOrTheCheckpointIsRefused() throws Exception {
    Path run = copyOfFinishedRun("state");
    Path state = run.resolve("checkpoints/last/state.json");
    String original = Files.readString(state);
    byte[] summary = Files.readAllBytes(run.resolve("summary.json"));
    Files.writeString(state, original.replaceFirst("\"epochs_done\" : 1", "\"epochs_done\" : 99"));
    CliRun tooMany = CliRun.of("train", "--resume", "--out", run.toString());
    assertEquals(2, tooMany.exitCode(), tooMany.out() + tooMany.err());
    assertTrue(tooMany.err().contains("epochs_done 99 is outside 1..1"), tooMany.err());

    // two epochs configured and claimed done, but the checkpoint's step counter is at one epoch's steps
    Path config = run.resolve("config.json");
    Files.writeString(config, Files.readString(config).replaceFirst("\"epochs\" : 1,", "\"epochs\" : 2,"));
    Files.writeString(state, original.replaceFirst("\"epochs_done\" : 1", "\"epochs_done\" : 2"));
    CliRun wrongStep = CliRun.of("train", "--resume", "--out", run.toString(), "--threads", "2");
    assertEquals(2, wrongStep.exitCode(), wrongStep.out() + wrongStep.err());
    assertTrue(wrongStep.err().contains("optimizer.step is"), wrongStep.err());
    assertArrayEquals(summary, Files.readAllBytes(run.resolve("summary.json")));
    assertEquals(1, Files.readAllLines(run.resolve("metrics.jsonl")).size());
  }
}

package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM during {@code vprompt train}: the process stops after the current step, closes its session
 * before the JVM exits (no crash report from a TensorFlow thread), exits 143, and leaves checkpoints/last
 * as the last finished epoch wrote it, loadable.
 */
class TrainStopTest {

  @TempDir Path temp;

  @Test
  void sigtermStopsAtAStepAndLeavesTheLastCheckpointLoadable() throws Exception {
    String data = TinyData.write(temp.resolve("data"));
    Path run = temp.resolve("run");
    Path log = temp.resolve("train.log");
    // 27 training images, 2 steps an epoch, far more epochs than the test waits for: the signal comes mid-run
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Dorg.bytedeco.javacpp.maxBytes=0", "-Djava.awt.headless=true",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train", "--data", data, "--train-per-class", "3",
        "--epochs", "1000", "--batch-size", "16", "--prompt", "none", "--threads", "2", "--tensorboard", "off", "--out", run.toString())
        .directory(temp.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Path state = run.resolve("checkpoints/last/state.json");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(state) && System.nanoTime() < deadline) {
      assertTrue(process.isAlive(), Files.readString(log));
      Thread.sleep(20);
    }
    assertTrue(Files.exists(state), "no epoch finished in time: " + Files.readString(log));
    process.destroy();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "still running after SIGTERM: " + Files.readString(log));

    String output = Files.readString(log);
    assertEquals(143, process.exitValue(), output);
    assertTrue(output.contains("vprompt train: stopped by a signal"), output);
    try (Stream<Path> files = Files.list(temp)) {
      List<String> crashReports = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("hs_err")).toList();
      assertEquals(List.of(), crashReports, output);
    }
    assertFalse(Files.exists(run.resolve("summary.json")), "stopped before the end");
    try (Stream<Path> entries = Files.list(run.resolve("checkpoints"))) {
      assertEquals(List.of("best", "last"), entries.map(p -> p.getFileName().toString()).sorted().toList());
    }
    CliRun eval = CliRun.of("eval", "--run", run.toString(), "--checkpoint", "last", "--threads", "2");
    assertEquals(0, eval.exitCode(), eval.out() + eval.err());
  }
}

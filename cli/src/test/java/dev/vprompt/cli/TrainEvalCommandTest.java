package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train and eval commands end to end on the embedded Fashion-MNIST subset. */
class TrainEvalCommandTest {

  @TempDir Path temp;

  private static final String[] SUMMARY_KEYS = {"dataset", "backbone", "prompt", "epochs", "seed", "best_epoch",
      "best_val_acc", "test_acc_best", "test_acc_last", "params_backbone", "params_prompt", "params_total",
      "prompt_overhead_pct", "train_seconds", "mean_epoch_seconds", "train_images_per_sec"};

  @Test
  void trainWritesARunThatEvalReadsBack() throws Exception {
    Path run = temp.resolve("run");
    CliRun train = CliRun.of("train", "--epochs", "1", "--out", run.toString(), "--threads", "2");
    assertEquals(0, train.exitCode(), train.out() + train.err());
    JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
    for (String key : SUMMARY_KEYS) {
      assertTrue(summary.has(key), "summary.json lacks " + key);
    }
    double testAcc = summary.get("test_acc_best").asDouble();
    assertTrue(testAcc >= 0 && testAcc <= 1, "a fraction: " + testAcc);
    assertEquals(1, Files.readAllLines(run.resolve("metrics.jsonl")).size());
    JsonNode config = new ObjectMapper().readTree(run.resolve("config.json").toFile());
    assertEquals("embedded", config.get("data").asText());

    CliRun eval = CliRun.of("eval", "--run", run.toString(), "--json");
    assertEquals(0, eval.exitCode(), eval.err());
    JsonNode report = new ObjectMapper().readTree(eval.out());
    assertEquals(testAcc, report.get("test_acc").asDouble(), 0);
    assertEquals(10, report.get("confusion").size());
    assertTrue(Files.isRegularFile(run.resolve("eval-best.json")));
    CliRun table = CliRun.of("eval", "--run", run.toString(), "--checkpoint", "last");
    assertEquals(0, table.exitCode(), table.err());
    assertTrue(table.out().contains("Ankle boot"), table.out());
  }

  @Test
  void badDataGivesOneMessageExitTwoAndNoRunDirectory() throws Exception {
    Path truncated = temp.resolve("truncated");
    Files.createDirectories(truncated);
    Path source = Path.of(System.getProperty("vprompt.home", ".."), "testdata", "fashion-mnist-small");
    if (!Files.isDirectory(source)) {
      source = Path.of("..", "testdata", "fashion-mnist-small");
    }
    for (String name : List.of("train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
      Files.copy(source.resolve(name), truncated.resolve(name));
    }
    byte[] images;
    try (var in = new GZIPInputStream(Files.newInputStream(source.resolve("train-images-idx3-ubyte.gz")))) {
      images = in.readAllBytes();
    }
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(truncated.resolve("train-images-idx3-ubyte.gz")))) {
      out.write(images, 0, images.length / 2);
    }
    Path run = temp.resolve("never");
    String[][] cases = {
        {"train", "--data", "fashion-mnist:" + truncated, "--out", run.toString()},
        {"train", "--data", "idx:" + temp.resolve("missing"), "--out", run.toString()},
        {"train", "--data", "svhn:" + temp, "--out", run.toString()},
        {"train", "--backbone", "vit-tiny", "--patch-size", "5", "--out", run.toString()},
        {"train", "--epochs", "0", "--out", run.toString()},
        {"eval", "--run", temp.resolve("nothing").toString()},
    };
    for (String[] args : cases) {
      CliRun result = CliRun.of(args);
      assertEquals(2, result.exitCode(), String.join(" ", args) + "\n" + result.err());
      assertTrue(result.err().startsWith("vprompt " + args[0] + ": error: "), result.err());
      assertFalse(Files.exists(run), "nothing is left behind by: " + String.join(" ", args));
    }
    CliRun first = CliRun.of("train", "--data", "fashion-mnist:" + truncated, "--out", run.toString());
    assertTrue(first.err().contains("train-images-idx3-ubyte.gz"), first.err());
  }

  /**
   * The acceptance test: SIGKILL mid-epoch, --resume, and the weights of an uninterrupted run; 60
   * images a class of the embedded subset (540 to train on, batch 128).
   */
  @Test
  void aRunKilledMidEpochAndResumedEndsWithTheUninterruptedWeights() throws Exception {
    Path straight = temp.resolve("straight");
    String[] common = {"--epochs", "3", "--threads", "2", "--backbone", "cnn", "--train-per-class", "60"};
    CliRun reference = CliRun.of(concat(new String[] {"train", "--out", straight.toString()}, common));
    assertEquals(0, reference.exitCode(), reference.err());

    Path killed = temp.resolve("killed");
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Dorg.bytedeco.javacpp.maxBytes=0",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train", "--out", killed.toString()));
    command.addAll(List.of(common));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(temp.resolve("killed.log").toFile()).start();
    Path metrics = killed.resolve("metrics.jsonl");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!(Files.exists(metrics) && Files.readAllLines(metrics).size() >= 1
        && Files.exists(killed.resolve("checkpoints/last/state.json"))) && System.nanoTime() < deadline) {
      assertTrue(process.isAlive(), Files.readString(temp.resolve("killed.log")));
      Thread.sleep(50);
    }
    Thread.sleep(400);
    process.destroyForcibly();
    process.waitFor();
    assertTrue(Files.readAllLines(metrics).size() < 3, "the kill came before the run ended");

    CliRun resumed = CliRun.of("train", "--resume", "--out", killed.toString());
    assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
    String data = "checkpoints/last/model.data-00000-of-00001";
    assertArrayEquals(Files.readAllBytes(straight.resolve(data)), Files.readAllBytes(killed.resolve(data)));
    ObjectMapper json = new ObjectMapper();
    assertEquals(json.readTree(straight.resolve("summary.json").toFile()).get("test_acc_last"),
        json.readTree(killed.resolve("summary.json").toFile()).get("test_acc_last"));
    assertEquals(3, Files.readAllLines(metrics).size());
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}

package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run on the embedded 28x28x1 data whose backbone takes 32x32 ({@code --resize 32}): it trains, config.json
 * records the resize, and the export, fed raw 28x28 uint8 pixels, gives eval's logits (the exporter checks
 * serving_default against the run's inference graph, the one eval builds, on 64 test images before it writes the
 * model, and predict_encoded against serving_default on PNG copies).
 */
class ResizedRunTest {

  @TempDir Path temp;

  @Test
  void trainsRecordsTheResizeAndExportsAtTheStoredSize() throws Exception {
    Path run = temp.resolve("run");
    CliRun train = CliRun.of("train", "--prompt", "vp-pad", "--pad-width", "2", "--resize", "32", "--epochs", "1",
        "--batch-size", "50", "--train-per-class", "20", "--threads", "2", "--tensorboard", "off", "--out", run.toString());
    assertEquals(0, train.exitCode(), train.out() + train.err());
    JsonNode resize = new ObjectMapper().readTree(run.resolve("config.json").toFile()).get("resize");
    assertEquals(32, resize.get("size").asInt(), resize.toString());
    assertEquals("BILINEAR", resize.get("interpolation").asText(), resize.toString());

    Path models = temp.resolve("models");
    CliRun export = CliRun.of("export", "--run", run.toString(), "--out", models.toString(), "--threads", "2",
        "--verify-images", "64");
    assertEquals(0, export.exitCode(), export.out() + export.err());
    assertTrue(export.out().contains("verified: serving_default vs the run's inference graph on 64 test images"),
        export.out());

    CliRun bad = CliRun.of("train", "--resize", "native", "--epochs", "1", "--out", temp.resolve("bad").toString());
    assertEquals(2, bad.exitCode(), bad.out() + bad.err());
    assertTrue(bad.err().contains("--resize native: cnn declares no pretraining size"), bad.err());
  }
}

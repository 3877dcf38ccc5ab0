package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vprompt.core.data.DatasetLoader;
import dev.vprompt.core.data.IdxReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

/** {@code vprompt export} end to end on runs trained for one epoch. */
class ExportCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  /**
   * The acceptance test: a program using TensorFlow Java alone (SavedModelBundle, the
   * serving_default signature, raw uint8 pixels) gets the accuracy {@code vprompt eval} reports.
   */
  @Test
  void aTensorFlowJavaProgramGetsTheAccuracyEvalReports() throws Exception {
    Path run = ServingFixtures.run("add");
    CliRun eval = CliRun.of("eval", "--run", run.toString(), "--json", "--threads", "2");
    assertEquals(0, eval.exitCode(), eval.err());
    double evalAccuracy = JSON.readTree(eval.out()).get("test_acc").asDouble();

    Path models = temp.resolve("models/add");
    CliRun export = CliRun.of("export", "--run", run.toString(), "--out", models.toString(), "--threads", "2");
    assertEquals(0, export.exitCode(), export.err());
    assertTrue(export.out().contains("prompt 'msvp' folded into one constant"), export.out());
    assertTrue(export.out().contains("verified: serving_default vs the run's inference graph on 256 test images"),
        export.out());
    assertTrue(export.out().contains("exported: " + models.resolve("1").toAbsolutePath()), export.out());

    Path data = DatasetLoader.embeddedDefaultDir();
    IdxReader.Images images = IdxReader.readImages(data.resolve("t10k-images-idx3-ubyte.gz"));
    int[] labels = IdxReader.readLabels(data.resolve("t10k-labels-idx1-ubyte.gz"));
    long correct = 0;
    try (SavedModelBundle model = SavedModelBundle.load(models.resolve("1").toString(), "serve");
        TUint8 pixels = TUint8.tensorOf(Shape.of(images.count(), 28, 28, 1), DataBuffers.of(images.pixels(), true, false));
        Result result = model.function("serving_default").call(Map.of("images", pixels))) {
      TInt64 classes = (TInt64) result.get("classes").orElseThrow();
      for (int i = 0; i < images.count(); i++) {
        correct += classes.getLong(i) == labels[i] ? 1 : 0;
      }
    }
    assertEquals(evalAccuracy, (double) correct / images.count(), 0);
    assertTrue(evalAccuracy > 0.2, "a model that learned something: " + evalAccuracy);

    // vprompt predict is such a program too, on the IDX file and on the dataset spec
    CliRun predict = CliRun.of("predict", models.resolve("1").toString(),
        data.resolve("t10k-images-idx3-ubyte.gz").toString(), "fashion-mnist:" + data, "--json");
    assertEquals(0, predict.exitCode(), predict.err());
    for (JsonNode dataset : JSON.readTree(predict.out()).get("datasets")) {
      assertEquals(500, dataset.get("images").asInt());
      assertEquals(evalAccuracy, dataset.get("accuracy").asDouble(), 0);
    }
  }

  @Test
  void everyPromptExportsAModelThatInspectStrictAccepts() throws Exception {
    Map<String, Integer> variables = new java.util.HashMap<>();
    for (String prompt : List.of("none", "add", "gated", "concat")) {
      Path model = ServingFixtures.model(prompt);
      CliRun strict = CliRun.of("inspect", model.toString(), "--strict", "--json");
      assertEquals(0, strict.exitCode(), prompt + ": " + strict.out() + strict.err());
      JsonNode inspection = JSON.readTree(strict.out());
      assertEquals(0, inspection.get("findings").size());
      inspection.get("ops").fieldNames().forEachRemaining(op -> {
        assertFalse(op.startsWith("Apply") || op.contains("Grad") || op.startsWith("Random"), prompt + ": " + op);
      });
      assertEquals("tensorflow/serving/predict", inspection.get("signatures").get(1).get("method_name").asText());
      variables.put(prompt, inspection.get("variables").get("count").asInt());
    }
    assertEquals(variables.get("none"), variables.get("add"), "an added prompt leaves no variable behind");
    assertEquals(variables.get("none"), variables.get("gated"), "a gated prompt neither");
    assertEquals(variables.get("none") + 5, variables.get("concat"), "concat keeps its 3 maps and the 1x1 conv");
  }

  @Test
  void helpExplainsTheOptionsIncludingTheModelVersion() {
    CliRun help = CliRun.of("export", "--help");
    assertEquals(0, help.exitCode(), help.err());
    assertTrue(help.out().contains("--version=N") && help.out().contains("--verify-images"), help.out());
  }

  @Test
  void versionsFollowEachOther() throws Exception {
    Path run = ServingFixtures.run("none");
    Path models = temp.resolve("models/none");
    for (String expected : List.of("1", "2")) {
      CliRun export = CliRun.of("export", "--run", run.toString(), "--out", models.toString(), "--checkpoint", "last",
          "--verify-images", "16", "--threads", "2");
      assertEquals(0, export.exitCode(), export.err());
      assertTrue(Files.isRegularFile(models.resolve(expected).resolve("saved_model.pb")));
    }
    CliRun again = CliRun.of("export", "--run", run.toString(), "--out", models.toString(), "--version", "2");
    assertEquals(2, again.exitCode());
    assertTrue(again.err().contains("already exists"), again.err());
  }

  @Test
  void badRunsExitTwoWithOneMessageAndWriteNothing() throws Exception {
    Path good = ServingFixtures.run("add");
    Path incomplete = DirectoryCopy.of(good, temp.resolve("incomplete"));
    dev.vprompt.core.run.FileTrees.delete(incomplete.resolve("checkpoints/best"));
    Path mismatch = DirectoryCopy.of(good, temp.resolve("mismatch"));
    Files.writeString(mismatch.resolve("config.json"),
        Files.readString(mismatch.resolve("config.json")).replace("\"backbone\" : \"cnn\"", "\"backbone\" : \"resnet18\""));
    Path corrupt = DirectoryCopy.of(good, temp.resolve("corrupt"));
    Files.writeString(corrupt.resolve("config.json"), "{ not json");

    Path models = temp.resolve("models/never");
    Map<String[], String> cases = Map.of(
        new String[] {"--run", temp.resolve("missing").toString()}, "no such run directory",
        new String[] {"--run", temp.toString()}, "config.json: missing",
        new String[] {"--run", incomplete.toString()}, "no checkpoint there",
        new String[] {"--run", mismatch.toString()}, "has no tensor 'backbone.stem.conv.kernel'",
        new String[] {"--run", corrupt.toString()}, "unreadable",
        new String[] {"--run", good.toString(), "--checkpoint", "middle"}, "best or last",
        new String[] {"--run", good.toString(), "--version", "0"}, "positive");
    for (Map.Entry<String[], String> c : cases.entrySet()) {
      String[] args = ServingFixtures.concat(new String[] {"export", "--out", models.toString()}, c.getKey());
      CliRun result = CliRun.of(args);
      assertEquals(2, result.exitCode(), String.join(" ", args) + "\n" + result.err());
      assertTrue(result.err().startsWith("vprompt export: error: "), result.err());
      assertTrue(result.err().contains(c.getValue()), result.err());
      assertFalse(Files.exists(models), "nothing written by: " + String.join(" ", args));
    }
  }
}

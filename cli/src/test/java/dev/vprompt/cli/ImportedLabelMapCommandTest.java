package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vprompt.core.data.ImageSet;
import dev.vprompt.core.data.LoadedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

/**
 * {@code --head keep --label-map ilm} and {@code --label-map fc} from the CLI, on timm's tiny imported fixtures (10-class
 * heads) adapted to classes 5-7 of the embedded 28x28 subset: the map is recorded in config.json and saved in the
 * checkpoint, the kept head stays the imported one, and eval and the exported SavedModel (whose outputs have the
 * target's 3 classes and its class names) give the same accuracy on the test split.
 */
class ImportedLabelMapCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<Integer> TARGET_CLASSES = List.of(5, 6, 7);
  private static final int SOURCE_CLASSES = 10;

  @TempDir Path temp;

  private static Path fixture(String name) {
    return Path.of(System.getProperty("vprompt.home", ".."), "testdata", "pretrained", name);
  }

  /** Imports a fixture for the given input; returns its backbone spec. */
  private static String importFixture(String fixture, String arch, String input, Path out) throws Exception {
    CliRun imported = CliRun.of("import", "--arch", arch, "--weights", fixture(fixture).toString(), "--input", input,
        "--out", out.toString());
    assertEquals(0, imported.exitCode(), imported.out() + imported.err());
    JsonNode config = JSON.readTree(out.resolve("config.json").toFile());
    assertEquals(SOURCE_CLASSES, config.get("class_names").size(), config.toString());
    return config.get("backbone").asText();
  }

  @Test
  void anIterativeMapIsRecomputedEachEpochSavedAppliedByEvalAndBakedIntoTheExport() throws Exception {
    Path source = temp.resolve("resnet");
    String backbone = importFixture("resnet-basic-test.safetensors", "resnet", "28x28x1", source);
    Path target = temp.resolve("ilm");
    CliRun train = CliRun.of("train", "--backbone", backbone, "--init-from", source.toString(), "--freeze", "backbone",
        "--head", "keep", "--label-map", "ilm", "--prompt", "vp-pad", "--epochs", "2", "--data-classes", "5-7",
        "--train-per-class", "20", "--threads", "2", "--tensorboard", "off", "--out", target.toString());
    assertEquals(0, train.exitCode(), train.out() + train.err());

    // recomputed at the start of each epoch; the checkpoint of the last epoch holds the last assignment
    Matcher maps = Pattern.compile("label map ilm \\(epoch (\\d+)\\): target classes 0\\.\\.2 read source classes "
        + "\\[(\\d+), (\\d+), (\\d+)\\]").matcher(train.out());
    List<Integer> epochs = new ArrayList<>();
    float[] lastPrinted = null;
    while (maps.find()) {
      epochs.add(Integer.parseInt(maps.group(1)));
      lastPrinted = new float[] {Integer.parseInt(maps.group(2)), Integer.parseInt(maps.group(3)),
          Integer.parseInt(maps.group(4))};
    }
    assertEquals(List.of(1, 2), epochs, train.out());
    JsonNode transfer = JSON.readTree(target.resolve("config.json").toFile()).get("transfer");
    assertEquals("ilm", transfer.get("label_map").asText(), transfer.toString());
    assertEquals(SOURCE_CLASSES, transfer.get("source_classes").asInt(), transfer.toString());
    Path last = target.resolve("checkpoints/last/model");
    float[] sourceOf = floats(last, "label_map.source_of");
    assertArrayEquals(lastPrinted, sourceOf, 0f);
    TreeSet<Float> distinct = new TreeSet<>();
    for (float s : sourceOf) {
      distinct.add(s);
    }
    assertEquals(3, distinct.size(), Arrays.toString(sourceOf));
    assertTrue(distinct.first() >= 0 && distinct.last() < SOURCE_CLASSES, distinct.toString());
    assertArrayEquals(floats(source.resolve("checkpoints/best/model"), "head.kernel"), floats(last, "head.kernel"));

    evalAgreesWithTheExport(target);
  }

  @Test
  void aLearnedFullyConnectedMapTrainsWithThePromptAndIsBakedIntoTheExport() throws Exception {
    // a ViT built for 32x32 grey images; the 28x28 data is resized to it in the graph
    Path source = temp.resolve("vit");
    String backbone = importFixture("vit-tiny-test.safetensors", "vit", "32x32x1", source);
    Path target = temp.resolve("fc");
    CliRun train = CliRun.of("train", "--backbone", backbone, "--init-from", source.toString(), "--freeze", "backbone",
        "--head", "keep", "--label-map", "fc", "--resize", "32", "--prompt", "lor-vp", "--epochs", "1",
        "--data-classes", "5-7", "--train-per-class", "20", "--threads", "2", "--tensorboard", "off",
        "--out", target.toString());
    assertEquals(0, train.exitCode(), train.out() + train.err());
    assertFalse(train.out().contains("label map fc ("), "fc is learned, not assigned from counts: " + train.out());
    JsonNode transfer = JSON.readTree(target.resolve("config.json").toFile()).get("transfer");
    assertEquals("fc", transfer.get("label_map").asText(), transfer.toString());
    assertEquals(SOURCE_CLASSES, transfer.get("source_classes").asInt(), transfer.toString());

    // the [source -> target] layer is saved with the run and trains with the prompt; the kept head does not
    Path last = target.resolve("checkpoints/last/model");
    assertEquals(SOURCE_CLASSES * TARGET_CLASSES.size(), floats(last, "label_map.kernel").length);
    assertEquals(TARGET_CLASSES.size(), floats(last, "label_map.bias").length);
    JsonNode summary = JSON.readTree(target.resolve("summary.json").toFile());
    assertEquals(SOURCE_CLASSES * TARGET_CLASSES.size() + TARGET_CLASSES.size(),
        summary.get("params_trainable").asLong() - summary.get("params_prompt").asLong(), summary.toString());
    assertArrayEquals(floats(source.resolve("checkpoints/best/model"), "head.kernel"), floats(last, "head.kernel"));

    evalAgreesWithTheExport(target);
  }

  /**
   * Eval's accuracy on the test split equals the exported model's, fed raw uint8 pixels at the data's size; the
   * export's logits have the target's class count and its class-name asset the target's names.
   */
  private void evalAgreesWithTheExport(Path run) throws Exception {
    CliRun eval = CliRun.of("eval", "--run", run.toString(), "--json", "--threads", "2");
    assertEquals(0, eval.exitCode(), eval.err());
    double evalAccuracy = JSON.readTree(eval.out()).get("test_acc").asDouble();

    Path models = run.resolveSibling(run.getFileName() + "-models");
    CliRun export = CliRun.of("export", "--run", run.toString(), "--out", models.toString(), "--threads", "2",
        "--verify-images", "32");
    assertEquals(0, export.exitCode(), export.out() + export.err());
    assertTrue(export.out().contains("verified: serving_default vs the run's inference graph on 32 test images"),
        export.out());
    List<String> names = new ArrayList<>();
    JSON.readTree(run.resolve("config.json").toFile()).get("class_names").forEach(n -> names.add(n.asText()));
    assertEquals(TARGET_CLASSES.size(), names.size(), names.toString());
    assertEquals(names, Files.readAllLines(models.resolve("1/assets/classes.txt")));

    ImageSet test = LoadedData.load(null, TARGET_CLASSES, 20).splits().test();
    long correct = 0;
    try (SavedModelBundle model = SavedModelBundle.load(models.resolve("1").toString(), "serve");
        TUint8 pixels = TUint8.tensorOf(Shape.of(test.count(), 28, 28, 1), DataBuffers.of(test.pixels(), true, false));
        Result result = model.function("serving_default").call(Map.of("images", pixels))) {
      TFloat32 logits = (TFloat32) result.get("logits").orElseThrow();
      assertEquals(Shape.of(test.count(), TARGET_CLASSES.size()), logits.shape());
      TInt64 classes = (TInt64) result.get("classes").orElseThrow();
      for (int i = 0; i < test.count(); i++) {
        correct += classes.getLong(i) == test.labels()[i] ? 1 : 0;
      }
    }
    assertEquals(evalAccuracy, (double) correct / test.count(), 0);
  }

  /** One float tensor of a checkpoint, through TensorFlow's own restore op. */
  private static float[] floats(Path prefix, String name) {
    try (Graph graph = new Graph()) {
      var tf = org.tensorflow.op.Ops.create(graph);
      var restored = tf.train.restore(tf.constant(prefix.toString()), tf.constant(NdArrays.vectorOfObjects(name)),
          tf.constant(NdArrays.vectorOfObjects("")), List.of(TFloat32.class));
      try (Session session = new Session(graph); Result result = session.runner().fetch(restored.tensors().get(0)).run()) {
        return dev.vprompt.ops.Tensors.toFloats(result.get(0));
      }
    }
  }
}

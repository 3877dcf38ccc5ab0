package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vprompt.core.data.ImageSet;
import dev.vprompt.core.data.LoadedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

/**
 * A source trained on classes 0-4 of the embedded 28x28 subset with a cnn that takes 32x32 ({@code --resize 32}),
 * its head kept and read through a frequency label map on classes 5-7: config.json records the resize and the map,
 * the map is computed and saved, the frozen head is the source's, and the exported model, fed raw 28x28 uint8
 * pixels, gives eval's accuracy on the test split (the exporter has also checked its logits against the inference
 * graph eval builds, and predict_encoded against serving_default on PNG copies).
 */
class LabelMapCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path temp;
  private static Path source;

  @BeforeAll
  static void pretrain() {
    source = temp.resolve("source");
    CliRun pretrain = CliRun.of("train", "--epochs", "1", "--data-classes", "0-4", "--train-per-class", "20",
        "--resize", "32", "--prompt", "none", "--threads", "2", "--tensorboard", "off", "--out", source.toString());
    assertEquals(0, pretrain.exitCode(), pretrain.out() + pretrain.err());
  }

  @Test
  void aKeptHeadThroughAFrequencyMapTrainsEvalsAndExportsAlike() throws Exception {

    Path target = temp.resolve("target");
    CliRun train = CliRun.of("train", "--epochs", "1", "--data-classes", "5-7", "--train-per-class", "20",
        "--init-from", source.toString(), "--freeze", "backbone", "--head", "keep", "--label-map", "freq",
        "--resize", "32", "--prompt", "vp-pad", "--threads", "2", "--tensorboard", "off", "--out", target.toString());
    assertEquals(0, train.exitCode(), train.out() + train.err());
    assertTrue(train.out().contains("label map freq (epoch 1): target classes 0..2 read source classes"), train.out());
    JsonNode config = JSON.readTree(target.resolve("config.json").toFile());
    assertEquals(32, config.get("resize").get("size").asInt(), config.toString());
    assertEquals("BILINEAR", config.get("resize").get("interpolation").asText(), config.toString());
    JsonNode transfer = config.get("transfer");
    assertEquals("freq", transfer.get("label_map").asText(), transfer.toString());
    assertEquals(5, transfer.get("source_classes").asInt(), transfer.toString());

    // the computed assignment is in the checkpoint: three distinct source classes; the kept head stays frozen
    Path checkpoint = target.resolve("checkpoints/last/model");
    float[] sourceOf = floats(checkpoint, "label_map.source_of");
    TreeSet<Integer> distinct = new TreeSet<>();
    for (float s : sourceOf) {
      distinct.add((int) s);
      assertEquals(Math.round(s), s, 0f);
    }
    assertEquals(3, distinct.size(), java.util.Arrays.toString(sourceOf));
    assertTrue(distinct.first() >= 0 && distinct.last() < 5, distinct.toString());
    assertArrayEquals(floats(source.resolve("checkpoints/best/model"), "head.kernel"), floats(checkpoint, "head.kernel"));
    JsonNode summary = JSON.readTree(target.resolve("summary.json").toFile());
    assertEquals(summary.get("params_prompt").asLong(), summary.get("params_trainable").asLong(), summary.toString());

    CliRun eval = CliRun.of("eval", "--run", target.toString(), "--json", "--threads", "2");
    assertEquals(0, eval.exitCode(), eval.err());
    double evalAccuracy = JSON.readTree(eval.out()).get("test_acc").asDouble();

    Path models = temp.resolve("models");
    CliRun export = CliRun.of("export", "--run", target.toString(), "--out", models.toString(), "--threads", "2",
        "--verify-images", "64");
    assertEquals(0, export.exitCode(), export.out() + export.err());
    assertTrue(export.out().contains("verified: serving_default vs the run's inference graph on 64 test images"),
        export.out());
    ImageSet test = LoadedData.load(null, List.of(5, 6, 7), 20).splits().test();
    long correct = 0;
    try (SavedModelBundle model = SavedModelBundle.load(models.resolve("1").toString(), "serve");
        TUint8 pixels = TUint8.tensorOf(Shape.of(test.count(), 28, 28, 1), DataBuffers.of(test.pixels(), true, false));
        Result result = model.function("serving_default").call(Map.of("images", pixels))) {
      TInt64 classes = (TInt64) result.get("classes").orElseThrow();
      for (int i = 0; i < test.count(); i++) {
        correct += classes.getLong(i) == test.labels()[i] ? 1 : 0;
      }
    }
    assertEquals(evalAccuracy, (double) correct / test.count(), 0);
  }

  @Test
  void aLabelMapWithoutAKeptHeadOrWithTooFewSourceClassesOrANativeResizeOfACnnExitsTwo() {
    Path never = temp.resolve("never");
    String[][] cases = {
        {"--label-map", "freq", "--init-from", source.toString(), "--data-classes", "5-9"},
        {"--label-map", "ilm", "--head", "keep", "--init-from", source.toString(), "--data-classes", "4-9"},
        {"--label-map", "bayes", "--head", "keep", "--init-from", source.toString(), "--data-classes", "5-9"},
        {"--resize", "native"},
    };
    String[] messages = {"--label-map freq maps a kept source head's classes: it needs --head keep",
        "--label-map ilm maps each of the 6 target classes to its own source class, but the source head has only 5",
        "unknown --label-map 'bayes'", "--resize native: cnn declares no pretraining size"};
    for (int i = 0; i < cases.length; i++) {
      List<String> args = new java.util.ArrayList<>(List.of("train", "--out", never.toString()));
      args.addAll(List.of(cases[i]));
      CliRun run = CliRun.of(args.toArray(String[]::new));
      assertEquals(2, run.exitCode(), String.join(" ", args) + "\n" + run.out() + run.err());
      assertTrue(run.err().contains(messages[i]), run.err());
      assertEquals(1, run.err().strip().lines().count(), run.err());
      assertFalse(Files.exists(never), String.join(" ", args));
    }
  }

  /**
   * Sharded worker data: the training rows live only in the towers' shards, so the map's head predictions
   * are made shard by shard where the rows are; the map computed from them is the replicated run's.
   */
  @Test
  void aFrequencyMapOverShardedDataIsTheReplicatedRunsMap() throws Exception {
    CliRun one = oneDeviceFrequencyMapRun();
    CliRun sharded = CliRun.of(concat(frequencyMapRun("map-sharded"), "--worker-data", "sharded"));
    assertEquals(0, sharded.exitCode(), sharded.out() + sharded.err());
    assertTrue(sharded.out().contains("worker data: sharded over 1 tower, rows [54]; resident (placer's device): "
        + "val 6 rows, test 150 rows, train_shard0 54 rows"), sharded.out());
    assertEquals(mapLine(one.out()), mapLine(sharded.out()));
    // one shard is the replicated order: the same epoch, gathered from the shard and the validation copy
    assertSameFirstEpoch("map-one", "map-sharded");
  }

  /**
   * Two towers: the map's gather gradient is colocated with the kept head's logits, which the towers'
   * gradient copies onto their devices must follow (it failed to build). With the backbone frozen,
   * batch-norm uses its moving statistics, so two towers train as one device: the same map and the same
   * epoch within 1e-5; sharded over the two towers, the same map.
   */
  @Test
  void twoTowersTrainAKeptHeadThroughAFrequencyMapAsOneDevice() throws Exception {
    CliRun one = oneDeviceFrequencyMapRun();
    CliRun two = CliRun.of(concat(frequencyMapRun("towers-two"), "--devices", "2", "--worker-data", "replicated"));
    assertEquals(0, two.exitCode(), two.out() + two.err());
    assertTrue(two.out().contains("towers: [cpu:0, cpu:1]"), two.out());
    assertEquals(mapLine(one.out()), mapLine(two.out()));
    assertSameFirstEpoch("map-one", "towers-two");
    // sharded over the two towers, the map's predictions are made shard by shard: still the same map
    CliRun sharded = CliRun.of(concat(frequencyMapRun("towers-sharded"), "--devices", "2", "--worker-data", "sharded"));
    assertEquals(0, sharded.exitCode(), sharded.out() + sharded.err());
    assertTrue(sharded.out().contains("worker data: sharded over 2 towers"), sharded.out());
    assertEquals(mapLine(one.out()), mapLine(sharded.out()));
  }

  /** A frozen backbone and kept head through a freq map, 1 epoch on classes 5-7, into temp/OUT. */
  private static String[] frequencyMapRun(String out) {
    return new String[] {"train", "--epochs", "1", "--data-classes", "5-7", "--train-per-class", "20",
        "--init-from", source.toString(), "--freeze", "backbone", "--head", "keep", "--label-map", "freq",
        "--resize", "32", "--prompt", "vp-pad", "--threads", "2", "--tensorboard", "off",
        "--out", temp.resolve(out).toString()};
  }

  private static CliRun oneDevice;

  /** The one-device run both equality tests compare with, trained once (temp/map-one). */
  private static synchronized CliRun oneDeviceFrequencyMapRun() {
    if (oneDevice == null) {
      oneDevice = CliRun.of(frequencyMapRun("map-one"));
    }
    assertEquals(0, oneDevice.exitCode(), oneDevice.out() + oneDevice.err());
    return oneDevice;
  }

  private static void assertSameFirstEpoch(String expected, String actual) throws IOException {
    JsonNode a = JSON.readTree(Files.readAllLines(temp.resolve(expected + "/metrics.jsonl")).get(0));
    JsonNode b = JSON.readTree(Files.readAllLines(temp.resolve(actual + "/metrics.jsonl")).get(0));
    for (String key : List.of("train_loss", "train_acc", "val_loss", "val_acc")) {
      assertEquals(a.get(key).asDouble(), b.get(key).asDouble(), 1e-5, key);
    }
  }

  private static String mapLine(String out) {
    return out.lines().filter(l -> l.startsWith("label map freq (epoch 1)")).findFirst()
        .orElseThrow(() -> new AssertionError("no label map line in " + out));
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** One float tensor of a checkpoint, through TensorFlow's own restore op. */
  private static float[] floats(Path prefix, String name) {
    try (Graph graph = new Graph()) {
      var tf = org.tensorflow.op.Ops.create(graph);
      var restored = tf.train.restore(tf.constant(prefix.toString()),
          tf.constant(org.tensorflow.ndarray.NdArrays.vectorOfObjects(name)),
          tf.constant(org.tensorflow.ndarray.NdArrays.vectorOfObjects("")),
          List.of(org.tensorflow.types.TFloat32.class));
      try (Session session = new Session(graph); Result result = session.runner().fetch(restored.tensors().get(0)).run()) {
        return dev.vprompt.ops.Tensors.toFloats(result.get(0));
      }
    }
  }
}

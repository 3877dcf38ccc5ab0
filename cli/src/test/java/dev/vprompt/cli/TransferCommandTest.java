package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vprompt.core.checkpoint.CheckpointIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;

/**
 * Pretrain on classes 0-4 of the embedded subset, adapt to 5-9 with a frozen backbone; 40 training images a
 * class in every run (what is checked is what is restored, frozen and counted, not what is learnt).
 */
class TransferCommandTest {

  @TempDir static Path temp;
  private static Path source;

  @BeforeAll
  static void pretrain() {
    source = temp.resolve("source");
    CliRun run = CliRun.of("train", "--epochs", "1", "--data-classes", "0-4", "--train-per-class", "40", "--prompt",
        "none", "--threads", "2", "--out", source.toString());
    assertEquals(0, run.exitCode(), run.out() + run.err());
  }

  @Test
  void promptingAFrozenBackboneTrainsOnlyThePromptAndANewHead() throws Exception {
    Path target = temp.resolve("msvp");
    CliRun run = CliRun.of("train", "--epochs", "1", "--data-classes", "5-9", "--train-per-class", "40",
        "--init-from", source.toString(), "--freeze", "backbone", "--head", "new", "--prompt", "msvp", "--threads", "2",
        "--out", target.toString());
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().contains("backbone frozen"), run.out());
    JsonNode summary = new ObjectMapper().readTree(target.resolve("summary.json").toFile());
    long prompt = summary.get("params_prompt").asLong();
    long head = 128 * 5 + 5;
    assertEquals(81, prompt);
    assertEquals(prompt + head, summary.get("params_trainable").asLong());
    assertEquals(summary.get("params_backbone").asLong(), summary.get("params_frozen").asLong());

    // the source's normalisation, not the target classes' statistics; the prompt is not decayed
    JsonNode config = new ObjectMapper().readTree(target.resolve("config.json").toFile());
    JsonNode sourceConfig = new ObjectMapper().readTree(source.resolve("config.json").toFile());
    assertEquals("source", config.get("transfer").get("normalization").asText());
    assertEquals(sourceConfig.get("norm_mean"), config.get("norm_mean"));
    assertEquals(sourceConfig.get("norm_std"), config.get("norm_std"));
    assertEquals("except-prompt", config.get("training").get("decay").asText());
    assertEquals("msvp", config.get("training").get("protocol").asText());
    assertTrue(summary.get("prompt_effect_last").get("input").asDouble() > 0, summary.toString());

    // every backbone tensor, batch-norm statistics included, is bit-identical to the source's
    Path sourcePrefix = source.resolve("checkpoints/best/model");
    Path targetPrefix = target.resolve("checkpoints/last/model");
    var names = CheckpointIndex.read(sourcePrefix).keySet().stream().filter(n -> n.startsWith("backbone.")).toList();
    assertTrue(names.contains("backbone.block1.bn1.moving_mean"));
    for (String name : names) {
      assertArrayEquals(tensorBytes(sourcePrefix, name), tensorBytes(targetPrefix, name), name);
    }
    assertFalse(java.util.Arrays.equals(tensorBytes(targetPrefix, "prompt.msvp.local"),
        new byte[tensorBytes(targetPrefix, "prompt.msvp.local").length]));
  }

  @Test
  void linearProbingTrainsTheHeadAlone() throws Exception {
    Path target = temp.resolve("probe");
    CliRun run = CliRun.of("train", "--epochs", "1", "--data-classes", "5-9", "--train-per-class", "40",
        "--init-from", source.toString(), "--freeze", "backbone", "--prompt", "none", "--threads", "2",
        "--out", target.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("180 train / 20 validation / 250 test images"), run.out());
    JsonNode summary = new ObjectMapper().readTree(target.resolve("summary.json").toFile());
    assertEquals(128 * 5 + 5, summary.get("params_trainable").asLong());
  }

  @Test
  void badCombinationsExitTwoAndWriteNothing() {
    Path target = temp.resolve("never");
    String[][] cases = {
        {"train", "--freeze", "backbone", "--out", target.toString()},
        {"train", "--init-from", source.toString(), "--backbone", "resnet18", "--data-classes", "5-9", "--out", target.toString()},
        {"train", "--init-from", temp.resolve("nowhere").toString(), "--out", target.toString()},
        {"train", "--init-from", source.toString(), "--head", "keep", "--data-classes", "5-8", "--out", target.toString()},
        {"train", "--data-classes", "7", "--out", target.toString()},
        {"train", "--data-classes", "3-12", "--out", target.toString()},
        {"train", "--freeze", "everything", "--out", target.toString()},
    };
    for (String[] args : cases) {
      CliRun run = CliRun.of(args);
      assertEquals(2, run.exitCode(), String.join(" ", args) + "\n" + run.out() + run.err());
      assertTrue(run.err().startsWith("vprompt train: error: "), run.err());
      assertFalse(Files.exists(target), String.join(" ", args));
    }
    CliRun other = CliRun.of(cases[1]);
    assertTrue(other.err().contains("another architecture"), other.err());
  }

  @Test
  void aTensorFlowCheckpointImportsThroughANameMap() throws Exception {
    Path prefix = source.resolve("checkpoints/best/model");
    Path map = temp.resolve("names.txt");
    StringBuilder lines = new StringBuilder("# checkpoint name -> variable name\n");
    CheckpointIndex.read(prefix).keySet().stream().filter(n -> n.startsWith("backbone."))
        .forEach(n -> lines.append(n).append(' ').append(n).append('\n'));
    Files.writeString(map, lines);
    Path target = temp.resolve("mapped");
    CliRun run = CliRun.of("train", "--epochs", "1", "--data-classes", "5-9", "--train-per-class", "40",
        "--init-from", prefix.toString(), "--init-map", map.toString(), "--freeze", "backbone", "--prompt", "none",
        "--threads", "2", "--out", target.toString());
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertArrayEquals(tensorBytes(prefix, "backbone.block4.conv2.kernel"),
        tensorBytes(target.resolve("checkpoints/last/model"), "backbone.block4.conv2.kernel"));

    Files.writeString(map, lines + "backbone.block1.conv1.kernel backbone.block9.conv1.kernel\n");
    CliRun wrong = CliRun.of("train", "--init-from", prefix.toString(), "--init-map", map.toString(),
        "--freeze", "backbone", "--out", temp.resolve("wrong").toString());
    assertEquals(2, wrong.exitCode(), wrong.err());
    assertTrue(wrong.err().contains("backbone.block9.conv1.kernel"), wrong.err());

    Files.writeString(map, "backbone.block1.conv1.kernel backbone.block1.conv1.kernel\n");
    CliRun partial = CliRun.of("train", "--init-from", prefix.toString(), "--init-map", map.toString(),
        "--freeze", "backbone", "--out", temp.resolve("partial").toString());
    assertEquals(2, partial.exitCode(), partial.err());
    assertTrue(partial.err().contains("would stay random"), partial.err());
  }

  @Test
  void paramsReportsTrainableAndFrozenCounts() throws Exception {
    CliRun run = CliRun.of("params", "--backbone", "resnet18", "--prompt", "msvp", "--freeze", "backbone",
        "--input", "32x32x3", "--classes", "5", "--json");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode counts = new ObjectMapper().readTree(run.out());
    assertEquals(243 + 512 * 5 + 5, counts.get("params_trainable").asLong());
    assertEquals(counts.get("params_backbone").asLong(), counts.get("params_frozen").asLong());
  }

  /** Reads one tensor's raw values through TensorFlow's own restore op. */
  private static byte[] tensorBytes(Path prefix, String name) throws Exception {
    try (Graph graph = new Graph()) {
      var tf = org.tensorflow.op.Ops.create(graph);
      var restored = tf.train.restore(tf.constant(prefix.toString()),
          tf.constant(org.tensorflow.ndarray.NdArrays.vectorOfObjects(name)),
          tf.constant(org.tensorflow.ndarray.NdArrays.vectorOfObjects("")),
          java.util.List.of(org.tensorflow.types.TFloat32.class));
      try (Session session = new Session(graph); Result result = session.runner().fetch(restored.tensors().get(0)).run()) {
        var tensor = result.get(0);
        byte[] bytes = new byte[(int) tensor.numBytes()];
        tensor.asRawTensor().data().read(bytes);
        return bytes;
      }
    }
  }
}

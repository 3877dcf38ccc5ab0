package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** {@code vprompt inspect}: text and JSON, --strict, and what is not a SavedModel. */
class InspectCommandTest {

  @TempDir Path temp;

  @Test
  void describesAnExportedModel() throws Exception {
    Path model = ServingFixtures.model("add");
    CliRun text = CliRun.of("inspect", model.toString());
    assertEquals(0, text.exitCode(), text.err());
    for (String expected : new String[] {"tags: [serve]", "signature serving_default (tensorflow/serving/predict)",
        "in  images", "uint8", "[-1, 28, 28, 1]", "out probabilities", "signature predict_encoded", "image_bytes",
        "string", "FusedBatchNormV3", "asset: assets/classes.txt", "findings: none"}) {
      assertTrue(text.out().contains(expected), expected + " in\n" + text.out());
    }
  }

  @Test
  void strictFailsWithOneOnAModelExportedStraightFromASession() throws Exception {
    // TF Java's exporter on its own: initialisers (random ops, Assign) go into the model; no method name
    Path dir = temp.resolve("plain");
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
      Variable<TFloat32> w = tf.withName("w").variable(tf.random.randomUniform(tf.constant(new long[] {1}), TFloat32.class));
      Signature signature = Signature.builder().input("x", x).output("y", tf.math.mul(x, w)).build();
      SavedModelBundle.exporter(dir.toString()).withSession(session).withSignature(signature).export();
    }
    CliRun lenient = CliRun.of("inspect", dir.toString());
    assertEquals(0, lenient.exitCode(), lenient.err());
    for (String rule : new String[] {"empty-method-name", "random-op", "assign-outside-restore"}) {
      assertTrue(lenient.out().contains(rule), rule + " in\n" + lenient.out());
    }
    CliRun strict = CliRun.of("inspect", dir.toString(), "--strict");
    assertEquals(1, strict.exitCode());
    assertTrue(strict.err().startsWith("vprompt inspect: error: 3 finding(s) in " + dir + " (--strict), the first: "),
        strict.err());
    assertEquals(1, strict.err().lines().count(), strict.err());
  }

  @Test
  void aMissingOrBrokenModelExitsTwoWithOneLine() throws Exception {
    Path notes = Files.createDirectories(temp.resolve("notes"));
    Files.writeString(notes.resolve("saved_model.pb"), "not a protocol buffer, just words");
    for (Path dir : new Path[] {temp.resolve("missing"), temp, notes}) {
      CliRun result = CliRun.of("inspect", dir.toString(), "--strict");
      assertEquals(2, result.exitCode(), result.err());
      assertTrue(result.err().startsWith("vprompt inspect: error: "), result.err());
      assertEquals(1, result.err().lines().count(), result.err());
    }
  }
}

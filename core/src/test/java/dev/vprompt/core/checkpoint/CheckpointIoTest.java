package dev.vprompt.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.ops.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

class CheckpointIoTest {
  /** Values whose bits a lossy round trip would change: -0, a subnormal, extremes, a NaN payload. */
  private static final float[] AWKWARD_FLOATS = {
    -0.0f, Float.MIN_VALUE, Float.MAX_VALUE, -1.0f / 3, Float.intBitsToFloat(0x7fc00123), 1e-38f
  };
  private static final long[] AWKWARD_LONGS = {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE};

  @TempDir Path dir;

  @Test
  void saveThenRestoreIsBitExactForFloatAndInt64() throws IOException {
    Path prefix = dir.resolve("last/model");
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Map<String, Variable<?>> variables = new LinkedHashMap<>();
      variables.put("head.kernel", floats(tf, "head.kernel", Shape.of(2, 3), AWKWARD_FLOATS));
      variables.put("optimizer.step", tf.withName("optimizer.step").variable(tf.withInitScope().constant(42L)));
      variables.put("counts", tf.withName("counts").variable(tf.withInitScope().constant(AWKWARD_LONGS)));
      CheckpointIo io = new CheckpointIo(tf, variables);
      session.initialize();
      io.save(session, prefix);
    }
    assertTrue(Files.isRegularFile(dir.resolve("last/model.index")));
    assertTrue(Files.isRegularFile(dir.resolve("last/model.data-00000-of-00001")));

    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Variable<TFloat32> kernel = floats(tf, "head.kernel", Shape.of(2, 3), new float[6]);
      Variable<TInt64> step = tf.withName("optimizer.step").variable(tf.withInitScope().constant(0L));
      Variable<TInt64> counts = tf.withName("counts").variable(tf.withInitScope().constant(new long[4]));
      CheckpointIo io =
          new CheckpointIo(tf, Map.of("head.kernel", kernel, "optimizer.step", step, "counts", counts));
      session.initialize();
      io.restore(session, prefix);
      float[] restored = read(session, kernel);
      for (int i = 0; i < AWKWARD_FLOATS.length; i++) {
        assertEquals(Float.floatToRawIntBits(AWKWARD_FLOATS[i]), Float.floatToRawIntBits(restored[i]));
      }
      assertArrayEquals(new long[] {42}, readLongs(session, step));
      assertArrayEquals(AWKWARD_LONGS, readLongs(session, counts));
    }
  }

  @Test
  void theIndexListsNamesTypesAndShapes() throws IOException {
    Path prefix = dir.resolve("model");
    Map<String, Variable<?>> variables = new LinkedHashMap<>();
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      // Enough names sharing prefixes to exercise the index's key compression and restart points.
      for (int stage = 1; stage <= 4; stage++) {
        for (int block = 1; block <= 6; block++) {
          String name = "backbone.stage" + stage + ".block" + block + ".conv.kernel";
          variables.put(name, floats(tf, name, Shape.of(stage, block), new float[stage * block]));
        }
      }
      variables.put("optimizer.step", tf.withName("optimizer.step").variable(tf.withInitScope().constant(3L)));
      CheckpointIo io = new CheckpointIo(tf, variables);
      session.initialize();
      io.save(session, prefix);
    }
    Map<String, SavedTensor> saved = CheckpointIndex.read(prefix);
    assertEquals(variables.keySet().stream().sorted().toList(), List.copyOf(saved.keySet()));
    SavedTensor kernel = saved.get("backbone.stage3.block5.conv.kernel");
    assertEquals(DataType.DT_FLOAT, kernel.dtype());
    assertEquals(Shape.of(3, 5), kernel.shape());
    assertEquals(DataType.DT_INT64, saved.get("optimizer.step").dtype());
    assertEquals(Shape.scalar(), saved.get("optimizer.step").shape());
  }

  @Test
  void theIndexReaderFollowsEveryBlockOfALargeIndex() throws IOException {
    Path prefix = dir.resolve("large");
    Map<String, Variable<?>> variables = new LinkedHashMap<>();
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      // TensorFlow cuts index blocks at 256 KiB: 200 keys of 2 KB each need two or more.
      String padding = "x".repeat(2000);
      for (int i = 0; i < 200; i++) {
        variables.put(i + "." + padding, tf.variable(tf.withInitScope().constant((long) i)));
      }
      CheckpointIo io = new CheckpointIo(tf, variables);
      session.initialize();
      io.save(session, prefix);
    }
    assertTrue(Files.size(CheckpointIndex.indexFile(prefix)) > 256 * 1024);
    Map<String, SavedTensor> saved = CheckpointIndex.read(prefix);
    assertEquals(variables.keySet().stream().sorted().toList(), List.copyOf(saved.keySet()));
  }

  @Test
  void restoringIntoAnotherShapeNamesTheVariableAndTheCheckpoint() throws IOException {
    Path prefix = saveHead(dir.resolve("model"));
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Variable<TFloat32> kernel = floats(tf, "head.kernel", Shape.of(3), new float[3]);
      CheckpointIo io = new CheckpointIo(tf, Map.of("head.kernel", kernel));
      var error = assertThrows(IllegalArgumentException.class, () -> io.restore(session, prefix));
      assertTrue(error.getMessage().contains("'head.kernel' has shape [3]"), error.getMessage());
      assertTrue(error.getMessage().contains("has shape [2]"), error.getMessage());
      assertTrue(error.getMessage().contains(prefix.toString()), error.getMessage());
    }
  }

  @Test
  void restoringAVariableTheCheckpointLacksListsWhatItHolds() throws IOException {
    Path prefix = saveHead(dir.resolve("model"));
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Variable<TFloat32> kernel = floats(tf, "head.kernel", Shape.of(2), new float[2]);
      Variable<TInt64> step = tf.withName("optimizer.step").variable(tf.withInitScope().constant(0L));
      CheckpointIo io = new CheckpointIo(tf, Map.of("head.kernel", kernel, "optimizer.step", step));
      var error = assertThrows(IllegalArgumentException.class, () -> io.restore(session, prefix));
      assertTrue(error.getMessage().contains("no tensor 'optimizer.step'"), error.getMessage());
      assertTrue(error.getMessage().contains("holds 2 tensors: head.bias, head.kernel"), error.getMessage());
    }
  }

  @Test
  void missingOrDamagedFilesAreReportedClearly() throws IOException {
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Variable<TFloat32> kernel = floats(tf, "head.kernel", Shape.of(2), new float[2]);
      CheckpointIo io = new CheckpointIo(tf, Map.of("head.kernel", kernel));
      Path nowhere = dir.resolve("nowhere/model");
      var missing = assertThrows(IllegalArgumentException.class, () -> io.restore(session, nowhere));
      assertTrue(missing.getMessage().contains(nowhere + ".index"), missing.getMessage());

      Path truncated = saveHead(dir.resolve("truncated/model"));
      Path data = dir.resolve("truncated/model.data-00000-of-00001");
      Files.write(data, new byte[4]);
      var damaged = assertThrows(IllegalArgumentException.class, () -> io.restore(session, truncated));
      assertTrue(damaged.getMessage().contains("could not restore from checkpoint " + truncated),
          damaged.getMessage());
      // one line: TensorFlow's appended node context ([[{{node ...}}]]) is dropped
      assertFalse(damaged.getMessage().contains("\n") || damaged.getMessage().contains("{{node"),
          damaged.getMessage());
      Files.delete(data);
      var noData = assertThrows(IllegalArgumentException.class, () -> io.restore(session, truncated));
      assertTrue(noData.getMessage().contains(data.toString()), noData.getMessage());

      Path corrupt = saveHead(dir.resolve("corrupt/model"));
      Path index = dir.resolve("corrupt/model.index");
      byte[] bytes = Files.readAllBytes(index);
      bytes[10] ^= 0x55;
      Files.write(index, bytes);
      var badIndex = assertThrows(IllegalArgumentException.class, () -> io.restore(session, corrupt));
      assertTrue(badIndex.getMessage().contains("corrupt checkpoint index"), badIndex.getMessage());
    }
  }

  @Test
  void restoreSubsetImportsUnderOtherNamesAndReportsWhatDoesNotMatch() throws IOException {
    Path prefix = saveHead(dir.resolve("pretrained"));
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Variable<TFloat32> encoder = floats(tf, "encoder.kernel", Shape.of(2), new float[] {9f, 9f});
      Variable<TFloat32> head = floats(tf, "head.kernel", Shape.of(4), new float[] {7f, 7f, 7f, 7f});
      CheckpointIo io = new CheckpointIo(tf, Map.of("encoder.kernel", encoder, "head.kernel", head));
      session.initialize();

      io.restoreSubset(session, prefix, Map.of("head.kernel", "encoder.kernel"));
      assertArrayEquals(new float[] {1.5f, -2.5f}, read(session, encoder));
      assertArrayEquals(new float[] {7f, 7f, 7f, 7f}, read(session, head), "not in the mapping");

      var unmatched = assertThrows(IllegalArgumentException.class,
          () -> io.restoreSubset(session, prefix, Map.of("backbone.kernel", "encoder.kernel")));
      assertTrue(unmatched.getMessage().contains("no tensor 'backbone.kernel' (for variable 'encoder.kernel')"),
          unmatched.getMessage());
      var unknown = assertThrows(IllegalArgumentException.class,
          () -> io.restoreSubset(session, prefix, Map.of("head.kernel", "decoder.kernel")));
      assertTrue(unknown.getMessage().contains("no variable 'decoder.kernel'"), unknown.getMessage());
      var misShaped = assertThrows(IllegalArgumentException.class,
          () -> io.restoreSubset(session, prefix, Map.of("head.kernel", "head.kernel")));
      assertTrue(misShaped.getMessage().contains("'head.kernel' has shape [4]"), misShaped.getMessage());
      assertArrayEquals(new float[] {7f, 7f, 7f, 7f}, read(session, head), "nothing restored on error");
    }
  }

  @Test
  void savingAndRestoringAgainDoesNotGrowTheGraph() throws IOException {
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Variable<TFloat32> kernel = floats(tf, "head.kernel", Shape.of(2), new float[] {1f, 2f});
      Variable<TFloat32> other = floats(tf, "other", Shape.of(2), new float[] {3f, 4f});
      CheckpointIo io = new CheckpointIo(tf, Map.of("head.kernel", kernel, "other", other));
      session.initialize();
      io.save(session, dir.resolve("a"));
      io.restore(session, dir.resolve("a"));
      io.restoreSubset(session, dir.resolve("a"), Map.of("head.kernel", "other"));
      long operations = countOperations(graph);
      for (int i = 0; i < 3; i++) {
        io.save(session, dir.resolve("b" + i));
        io.restore(session, dir.resolve("b" + i));
        io.restoreSubset(session, dir.resolve("b" + i), Map.of("head.kernel", "other"));
      }
      assertEquals(operations, countOperations(graph));
    }
  }

  @Test
  void tensorFlowsOwnReaderReadsTheCheckpoint() throws IOException {
    Path prefix = saveHead(dir.resolve("model"));
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Variable<TFloat32> kernel = floats(tf, "head.kernel", Shape.of(2), new float[2]);
      Variable<TFloat32> bias = floats(tf, "head.bias", Shape.of(1), new float[1]);
      session.initialize();
      session.restore(prefix.toString()); // TF Java's Saver-based restore of every variable by name
      assertArrayEquals(new float[] {1.5f, -2.5f}, read(session, kernel));
      assertArrayEquals(new float[] {0.25f}, read(session, bias));
    }
  }

  @Test
  void rejectsAnEmptyOrAmbiguousVariableMap() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Variable<TFloat32> kernel = floats(tf, "head.kernel", Shape.of(2), new float[2]);
      assertThrows(IllegalArgumentException.class, () -> new CheckpointIo(tf, Map.of()));
      assertThrows(IllegalArgumentException.class, () -> new CheckpointIo(tf, Map.of("a", kernel, "b", kernel)));
      assertThrows(IllegalArgumentException.class, () -> new CheckpointIo(tf, Map.of("", kernel)));
    }
  }

  /** A checkpoint holding {@code head.kernel = [1.5, -2.5]} and {@code head.bias = [0.25]}. */
  private static Path saveHead(Path prefix) throws IOException {
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Map<String, Variable<?>> variables = new LinkedHashMap<>();
      variables.put("head.kernel", floats(tf, "head.kernel", Shape.of(2), new float[] {1.5f, -2.5f}));
      variables.put("head.bias", floats(tf, "head.bias", Shape.of(1), new float[] {0.25f}));
      CheckpointIo io = new CheckpointIo(tf, variables);
      session.initialize();
      io.save(session, prefix);
    }
    return prefix;
  }

  private static Variable<TFloat32> floats(Ops tf, String name, Shape shape, float[] values) {
    Ops init = tf.withInitScope();
    return tf.withName(name).variable(init.reshape(init.constant(values), init.constant(shape)));
  }

  private static float[] read(Session session, Variable<TFloat32> variable) {
    try (Result result = session.runner().fetch(variable).run()) {
      return Tensors.toFloats(result.get(0));
    }
  }

  private static long[] readLongs(Session session, Variable<TInt64> variable) {
    try (Result result = session.runner().fetch(variable).run()) {
      return Tensors.toLongs(result.get(0));
    }
  }

  private static long countOperations(Graph graph) {
    long count = 0;
    for (var it = graph.operations(); it.hasNext(); it.next()) {
      count++;
    }
    return count;
  }
}

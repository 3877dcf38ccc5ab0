package dev.vprompt.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;

class ParameterStoreTest {

  @Test
  void aNameAskedForTwiceIsOneVariable() {
    try (Graph graph = new Graph()) {
      ParameterStore store = new ParameterStore(Ops.create(graph), 1);
      Parameter first = store.weight("a.kernel", Shape.of(2, 3), Init.zeros(), Decay.DECAYED);
      Parameter second = store.weight("a.kernel", Shape.of(2, 3), Init.zeros(), Decay.DECAYED);
      assertSame(first, second);
      assertEquals("a.kernel", first.variable().op().name());
      assertThrows(IllegalStateException.class,
          () -> store.weight("a.kernel", Shape.of(3, 2), Init.zeros(), Decay.DECAYED));
      assertThrows(IllegalArgumentException.class,
          () -> store.weight("a/kernel", Shape.of(1), Init.zeros(), Decay.DECAYED));
    }
  }

  @Test
  void countsSeparateTrainableFrozenAndStatistics() {
    try (Graph graph = new Graph()) {
      ParameterStore store = new ParameterStore(Ops.create(graph), 1, n -> n.startsWith("backbone."));
      store.weight("backbone.w", Shape.of(4, 5), Init.zeros(), Decay.DECAYED);
      store.statistic("backbone.mean", Shape.of(5), Init.zeros());
      store.weight("prompt.p", Shape.of(3), Init.zeros(), Decay.NOT_DECAYED);
      assertEquals(23, store.count(""));
      assertEquals(20, store.count("backbone."));
      assertEquals(3, store.count(Parameter::trainable));
      assertEquals(1, store.trainable().size());
      assertFalse(store.get("backbone.w").trainable());
      assertEquals(Parameter.Role.FROZEN, store.get("backbone.w").role());
    }
  }

  @Test
  void randomInitDependsOnSeedAndNameNotOnCreationOrder() {
    float[] a = initialValue(1, "x", "y");
    float[] b = initialValue(1, "y", "x");
    float[] c = initialValue(2, "x", "y");
    assertArrayEquals(a, b, 0f);
    assertFalse(java.util.Arrays.equals(a, c));
  }

  @Test
  void kaimingFanOutAndTruncatedNormalHaveTheirSpread() {
    Shape kernel = Shape.of(3, 3, 16, 64);
    float[] values = initialValue(kernel, Init.kaimingNormalFanOut());
    double std = Math.sqrt(java.util.Arrays.stream(toDoubles(values)).map(v -> v * v).average().orElseThrow());
    assertEquals(Math.sqrt(2.0 / (9 * 64)), std, 0.05 * std);
    float[] truncated = initialValue(Shape.of(10_000), Init.truncatedNormal(0.02f));
    for (float v : truncated) {
      assertTrue(Math.abs(v) <= 0.04f + 1e-7f);
    }
    float[] glorot = initialValue(Shape.of(30, 50), Init.glorotUniform());
    float bound = (float) Math.sqrt(6.0 / 80);
    for (float v : glorot) {
      assertTrue(Math.abs(v) <= bound);
    }
    assertNotEquals(0f, glorot[0]);
  }

  private static double[] toDoubles(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  private static float[] initialValue(long seed, String first, String second) {
    try (Graph graph = new Graph()) {
      ParameterStore store = new ParameterStore(Ops.create(graph), seed);
      store.weight(first, Shape.of(50), Init.normal(1f), Decay.DECAYED);
      store.weight(second, Shape.of(50), Init.normal(1f), Decay.DECAYED);
      return fetch(graph, store.get("x"));
    }
  }

  private static float[] initialValue(Shape shape, Init init) {
    try (Graph graph = new Graph()) {
      ParameterStore store = new ParameterStore(Ops.create(graph), 3);
      return fetch(graph, store.weight("w", shape, init, Decay.DECAYED));
    }
  }

  private static float[] fetch(Graph graph, Parameter p) {
    try (Session session = new Session(graph)) {
      session.initialize();
      try (Result result = session.runner().fetch(p.variable()).run()) {
        return Tensors.toFloats(result.get(0));
      }
    }
  }
}

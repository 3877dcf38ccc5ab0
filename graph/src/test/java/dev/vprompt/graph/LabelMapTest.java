package dev.vprompt.graph;

import dev.vprompt.ops.TestSessions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.LabelMap.Kind;
import dev.vprompt.graph.prompts.baselines.NoPrompt;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The one-to-one label assignment of ILM-VP's reference code, and the mapping as the classifier applies it. */
class LabelMapTest {

  /**
   * counts[s][t], 4 source x 3 target classes. Greedy by largest count: (s2, t0) = 9 first; then t1's best source
   * would be s2 again (8), taken, so the next largest free count is (s1, t2) = 7; t1 then takes s0 (5, above
   * s3's 4). A per-column argmax would give t0 and t1 both s2: the collision the greedy resolves.
   */
  @Test
  void greedyOneToOneAssignmentResolvesCollisionsByTheLargestCount() {
    long[][] counts = {
        {1, 5, 0},
        {0, 2, 7},
        {9, 8, 6},
        {3, 4, 1},
    };
    assertArrayEquals(new int[] {2, 0, 1}, LabelMap.assign(counts));
  }

  /** Ties go to the first maximum in row-major order (torch.argmax); a never-predicted class takes a free one. */
  @Test
  void tiesAndUnseenClassesFollowTheRowMajorFirstMaximum() {
    long[][] counts = {
        {0, 0, 0},
        {4, 4, 0},
        {4, 0, 0},
    };
    // (s1, t0) = 4 is the first 4; then (s2, t0) is struck, (s1, *) struck: the largest free count is 0 at
    // (s0, t1); t2 takes s2
    assertArrayEquals(new int[] {1, 0, 2}, LabelMap.assign(counts));
    assertThrows(IllegalArgumentException.class, () -> LabelMap.assign(new long[][] {{1, 2, 3}}));
  }

  @Test
  void anAssignedMapNeedsAsManySourceClassesAsTargetClasses() {
    InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> new LabelMap(Kind.FREQ, 3).validate(4));
    assertEquals("label-map", e.option());
    assertTrue(e.getMessage().contains("only 3"), e.getMessage());
    new LabelMap(Kind.FC, 3).validate(4);
    assertThrows(InvalidOptionException.class, () -> Kind.parse("nearest"));
  }

  /** The classifier's logits are the head's, read at the assignment: logits[:, sourceOf]. */
  @Test
  void theClassifierReadsTheAssignedSourceLogits() {
    InputSpec input = new InputSpec(12, 12, 1);
    ModelSpec spec = new ModelSpec(input, 3, "cnn", null, new NoPrompt(), new float[] {0f}, new float[] {1f}, null,
        new LabelMap(Kind.ILM, 5));
    try (Graph graph = new Graph(); Session session = TestSessions.open(graph)) {
      Ops tf = Ops.create(graph);
      ParameterStore params = new ParameterStore(tf, 3);
      float[] pixels = new float[2 * 12 * 12];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (i % 17) / 17f;
      }
      Classifier.Built built = Classifier.fromScaled(BuildContext.root(tf, params, Mode.INFER), spec,
          tf.constant(Shape.of(2, 12, 12, 1), org.tensorflow.ndarray.buffer.DataBuffers.of(pixels)));
      assertEquals(Shape.of(2, 5), built.headLogits().shape());
      var assign = tf.assign(params.get(LabelMap.ASSIGNMENT).variable(), tf.constant(new float[] {4, 0, 2}));
      session.initialize();
      session.runner().addTarget(assign).run();
      try (Result result = session.runner().fetch(built.headLogits()).fetch(built.logits()).run()) {
        float[] head = Tensors.toFloats(result.get(0));
        float[] mapped = Tensors.toFloats(result.get(1));
        int[] sourceOf = {4, 0, 2};
        for (int b = 0; b < 2; b++) {
          for (int t = 0; t < 3; t++) {
            assertEquals(head[5 * b + sourceOf[t]], mapped[3 * b + t], 0f);
          }
        }
      }
    }
  }
}

package dev.vprompt.graph;

import dev.vprompt.ops.TestSessions;
import dev.vprompt.graph.prompts.Contribution;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.backbones.Backbones;
import dev.vprompt.graph.backbones.VisionTransformer;
import dev.vprompt.graph.prompts.Prompt;
import dev.vprompt.graph.prompts.insvp.InsVp;
import dev.vprompt.graph.prompts.insvp.Level;
import dev.vprompt.graph.prompts.insvp.Part;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import dev.vprompt.ops.layers.Dense;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * Feature prompts enter each prompted block after the class token and leave right after it. What shows
 * that prompt tokens never reach the head: the logits' gradient with respect to every block's output is
 * exactly zero at the prompt positions (nothing computed there is used again, by the next block or the
 * head), while it is non-zero at the class token, and the prompts themselves do move the logits (through
 * attention inside their block).
 */
class InsVpFeaturePromptsTest {

  private static final InputSpec IN = new InputSpec(8, 8, 1);
  private static final int PATCHES = 4;
  private static final int LP = 3;

  /** A classifier built by hand, recording what each block received and returned. */
  private static final class Probe implements AutoCloseable {
    final Graph graph = new Graph();
    final Ops tf = Ops.create(graph);
    final ParameterStore params = new ParameterStore(tf, 21);
    final Placeholder<TFloat32> images =
        tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(IN)));
    final List<Shape> entered = new ArrayList<>();
    final List<Operand<TFloat32>> blockOutputs = new ArrayList<>();
    final List<Shape> left = new ArrayList<>();
    final Operand<TFloat32> logits;

    Probe(InsVp insvp) {
      VisionTransformer vit = (VisionTransformer) Backbones.create(VisionTransformer.TINY, IN, 4);
      insvp.validate(IN, vit);
      BuildContext root = BuildContext.root(tf.withSubScope("m"), params, Mode.INFER);
      Contribution applied = insvp.build(root.child("prompt"), images, vit);
      BlockHook recording = new BlockHook() {
        @Override
        public Operand<TFloat32> beforeBlock(int block, Operand<TFloat32> x) {
          Operand<TFloat32> seen = applied.hook().beforeBlock(block, x);
          entered.add(seen.shape());
          return seen;
        }

        @Override
        public Operand<TFloat32> afterBlock(int block, Operand<TFloat32> x) {
          blockOutputs.add(x);
          Operand<TFloat32> kept = applied.hook().afterBlock(block, x);
          left.add(kept.shape());
          return kept;
        }
      };
      Operand<TFloat32> features = vit.features(root.child("backbone"), applied.images(), recording);
      logits = Dense.of(3, vit.headInit()).apply(root.child("head"), features);
    }

    @Override
    public void close() {
      graph.close();
    }
  }

  private static InsVp insvp(Set<Part> parts, Integer blocks) {
    return new InsVp(parts, 0.7f, 0.5f, LP, blocks, 3, 4, 4, null, 2, 0.1f);
  }

  @ParameterizedTest
  @ValueSource(ints = {12, 5, 1})
  void onlyThePromptedBlocksSeeThePromptsAndEachReturnsOnePlusNTokens(int blocks) {
    try (Probe probe = new Probe(insvp(Level.BOTH.parts(), blocks))) {
      assertEquals(12, probe.entered.size());
      for (int j = 0; j < 12; j++) {
        long inside = j < blocks ? 1 + LP + PATCHES : 1 + PATCHES;
        assertArrayEquals(new long[] {-1, inside, 192}, probe.entered.get(j).asArray(), "block " + (j + 1) + " input");
        assertArrayEquals(new long[] {-1, inside, 192}, probe.blockOutputs.get(j).shape().asArray(), "block " + (j + 1) + " output");
        assertArrayEquals(new long[] {-1, 1 + PATCHES, 192}, probe.left.get(j).asArray(), "after block " + (j + 1));
      }
      assertEquals(blocks, probe.params.select(p -> p.name().startsWith("prompt.insvp.common.")).size());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"common", "specific", "common,specific"})
  void promptOutputsNeverReachTheHeadButThePromptsMoveTheLogits(String partList) {
    Set<Part> parts = EnumSet.of(Part.PATCH, Part.GLOBAL);
    for (String part : partList.split(",")) {
      parts.add(Part.parse(part));
    }
    try (Probe probe = new Probe(insvp(parts, 12))) {
      Ops tf = probe.tf;
      Operand<TFloat64> weights = tf.constant(new double[][] {{0.3, -1.2, 0.7}, {-0.4, 0.9, 1.1}});
      Operand<TFloat64> objective = tf.reduceSum(
          tf.math.mul(tf.dtypes.cast(probe.logits, TFloat64.class), weights), tf.constant(new int[] {0, 1}));
      var promptVariables = probe.params.select(p -> p.name().startsWith("prompt.insvp.common.")
          || p.name().equals("prompt.insvp.specific.fc.kernel"));
      List<Output<?>> targets = new ArrayList<>();
      probe.blockOutputs.forEach(o -> targets.add(o.asOutput()));
      promptVariables.forEach(p -> targets.add(p.variable().asOutput()));
      Output<?>[] grads = probe.graph.addGradients(objective.asOutput(), targets.toArray(Output[]::new));
      Shape batch = Shape.of(2, 8, 8, 1);
      try (Session session = TestSessions.open(probe.graph);
          TFloat32 feed = Tensors.floats(batch, ModelHarness.randomImages(batch, 4))) {
        session.initialize();
        Session.Runner runner = session.runner().feed(probe.images, feed);
        for (Output<?> g : grads) {
          runner.fetch(g);
        }
        try (Result result = runner.run()) {
          int tokens = 1 + LP + PATCHES;
          for (int j = 0; j < 12; j++) {
            float[] g = Tensors.toFloats(result.get(j));
            assertEquals(2 * tokens * 192, g.length);
            for (int b = 0; b < 2; b++) {
              assertTrue(norm(g, b, tokens, 0, 1) > 0, "block " + (j + 1) + ": the class token counts");
              assertEquals(0.0, norm(g, b, tokens, 1, 1 + LP), "block " + (j + 1) + ": prompt outputs are dropped");
              double patches = norm(g, b, tokens, 1 + LP, tokens);
              // only the last block's class token reaches the head; earlier patch outputs feed the next block
              assertTrue(j < 11 ? patches > 0 : patches == 0, "block " + (j + 1) + " patch outputs: " + patches);
            }
          }
          for (int i = 0; i < promptVariables.size(); i++) {
            float[] g = Tensors.toFloats(result.get(12 + i));
            assertTrue(norm(g) > 0, promptVariables.get(i).name() + " moves the logits");
          }
        }
      }
    }
  }

  /** Sum of squares over tokens [from, to) of image b in a flat [B, tokens, 192] gradient. */
  private static double norm(float[] g, int b, int tokens, int from, int to) {
    double sum = 0;
    for (int i = (b * tokens + from) * 192; i < (b * tokens + to) * 192; i++) {
      sum += (double) g[i] * g[i];
    }
    return sum;
  }

  private static double norm(float[] g) {
    return norm(g, 0, g.length / 192, 0, g.length / 192);
  }

  /** A common prompt alone gets the batch size from the tokens: two images, two prompted sequences. */
  @Test
  void aCommonPromptAloneBroadcastsToTheBatch() {
    try (Probe probe = new Probe(insvp(EnumSet.of(Part.COMMON), 12));
        Session session = TestSessions.open(probe.graph)) {
      session.initialize();
      Shape batch = Shape.of(2, 8, 8, 1);
      Operand<TFloat32> first = probe.tf.identity(probe.blockOutputs.get(0));
      try (TFloat32 feed = Tensors.floats(batch, ModelHarness.randomImages(batch, 3));
          Result result = session.runner().feed(probe.images, feed).fetch(first).run()) {
        assertEquals(Shape.of(2, 1 + LP + PATCHES, 192), result.get(0).shape());
      }
    }
  }

  /** The initial common prompts follow VPT's U(-a, a), a = sqrt(6 / (C p^2 + d)). */
  @Test
  void commonPromptsStartOnVptsScale() {
    try (Probe probe = new Probe(insvp(EnumSet.of(Part.COMMON), 2));
        Session session = TestSessions.open(probe.graph)) {
      session.initialize();
      try (Result result = session.runner().fetch(probe.params.get("prompt.insvp.common.block2").variable()).run()) {
        float[] values = Tensors.toFloats(result.get(0));
        assertEquals(LP * 192, values.length);
        double a = Math.sqrt(6.0 / (1 * 4 * 4 + 192));
        double max = 0;
        for (float v : values) {
          max = Math.max(max, Math.abs(v));
        }
        assertTrue(max <= a && max > 0.8 * a, "max " + max + " for a = " + a);
      }
    }
  }
}

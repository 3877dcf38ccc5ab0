package dev.vprompt.graph;

import dev.vprompt.graph.prompts.FoldedPrompt;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.prompts.msvp.Msvp;
import dev.vprompt.graph.prompts.msvp.Msvp.Fusion;
import dev.vprompt.graph.prompts.msvp.Msvp.Scales;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.check.GradientChecker;
import dev.vprompt.ops.BuildContext;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

class MsvpTest {

  private static ModelSpec spec(InputSpec input, Msvp msvp) {
    return ModelSpec.of(input, 10, "cnn", null, msvp);
  }

  /**
   * A 2x2 mid prompt [[0, 4], [8, 12]] upsampled to 4x4 with half-pixel centres (see
   * SmallLayersTest for the derivation), averaged with a zero global prompt.
   */
  @Test
  void upsamplesAKnownTwoByTwoPromptToHandComputedValues() {
    Msvp msvp = new Msvp(Scales.GLOBAL_MID, Fusion.ADD, 2, 8, 0f);
    InputSpec input = new InputSpec(4, 4, 1);
    try (var model = new ModelHarness(ModelSpec.of(input, 3, "resnet18", null, msvp), Mode.INFER, 1)) {
      model.assign("prompt.msvp.mid", new float[] {0, 4, 8, 12});
      float[] prompted = model.run(model.built.prompted(), Shape.of(1, 4, 4, 1), new float[16]);
      float[] upsampled = {0, 1, 3, 4, 2, 3, 5, 6, 6, 7, 9, 10, 8, 9, 11, 12};
      for (int i = 0; i < 16; i++) {
        assertEquals(upsampled[i] / 2, prompted[i], 1e-6f, "pixel " + i);
      }
    }
  }

  @Test
  void aZeroPromptLeavesTheInputUnchangedBitForBit() {
    InputSpec input = new InputSpec(32, 32, 3);
    for (Fusion fusion : new Fusion[] {Fusion.ADD, Fusion.GATED}) {
      try (var model = new ModelHarness(spec(input, new Msvp(Scales.FULL, fusion, 4, 8, 0f)), Mode.TRAIN, 3)) {
        Shape shape = Shape.of(2, 32, 32, 3);
        float[] images = ModelHarness.randomImages(shape, 5);
        float[] normalised = model.run(model.built.normalised(), shape, images);
        float[] prompted = model.run(model.built.prompted(), shape, images);
        assertArrayEquals(normalised, prompted, 0f, fusion.label());
      }
    }
  }

  @Test
  void gatedFusionScalesThePromptBySigmoidOfTheGate() {
    InputSpec input = new InputSpec(8, 8, 1);
    try (var model = new ModelHarness(spec(input, new Msvp(Scales.GLOBAL, Fusion.GATED, 4, 8, 0f)), Mode.INFER, 3)) {
      model.assign("prompt.msvp.global", new float[] {2f});
      float[] prompted = model.run(model.built.prompted(), Shape.of(1, 8, 8, 1), new float[64]);
      assertEquals(1f, prompted[0], 1e-6f, "sigmoid(0) x 2");
      model.assign("prompt.msvp.gate", new float[] {1f});
      prompted = model.run(model.built.prompted(), Shape.of(1, 8, 8, 1), new float[64]);
      assertEquals(2f / (1f + (float) Math.exp(-1)), prompted[63], 1e-6f);
    }
  }

  /** The split 1x1 convolution equals a 1x1 convolution over the explicit channel concatenation. */
  @Test
  void concatFusionEqualsAOneByOneConvolutionOverTheStack() {
    InputSpec input = new InputSpec(8, 8, 2);
    Msvp msvp = new Msvp(Scales.FULL, Fusion.CONCAT, 2, 4, 0.5f);
    try (var model = new ModelHarness(spec(input, msvp), Mode.INFER, 11)) {
      Shape shape = Shape.of(2, 8, 8, 2);
      float[] images = ModelHarness.randomImages(shape, 3);
      float[] prompted = model.run(model.built.prompted(), shape, images);
      var tf = model.tf;
      var ups = new java.util.ArrayList<org.tensorflow.Operand<org.tensorflow.types.TFloat32>>();
      ups.add(model.built.normalised());
      for (String map : new String[] {"global", "mid", "local"}) {
        var p = model.params.get("prompt.msvp." + map).variable();
        var up = dev.vprompt.ops.layers.Resize.bilinear(tf, p, 8, 8);
        ups.add(tf.math.add(up, tf.math.mul(model.built.normalised(), tf.constant(0f))));
      }
      var stacked = tf.concat(ups, tf.constant(3));
      var expected = tf.nn.biasAdd(
          tf.nn.conv2d(stacked, model.params.get("prompt.msvp.fuse.kernel").variable(),
              java.util.List.of(1L, 1L, 1L, 1L), "VALID"),
          model.params.get("prompt.msvp.fuse.bias").variable());
      assertArrayEquals(model.run(expected, shape, images), prompted, 1e-5f);
    }
  }

  @Test
  void everyFusionsGradientsMatchFiniteDifferences() {
    InputSpec input = new InputSpec(6, 6, 2);
    for (Fusion fusion : Fusion.values()) {
      Msvp msvp = new Msvp(Scales.FULL, fusion, 2, 3, 0.3f);
      var report = GradientChecker.standard().check(Shape.of(2, 6, 6, 2), Mode.TRAIN, 4,
          (BuildContext ctx, org.tensorflow.Operand<org.tensorflow.types.TFloat32> x) -> msvp.apply(ctx, x));
      assertTrue(report.passed(), fusion + ": " + report);
      assertTrue(report.targets().contains("msvp.local"), report.targets().toString());
    }
  }

  /** The folded constant reproduces the prompted model's logits: what export relies on. */
  @Test
  void aFoldedFieldGivesTheSameLogitsAsThePrompt() {
    InputSpec input = new InputSpec(8, 8, 2);
    for (Fusion fusion : new Fusion[] {Fusion.ADD, Fusion.GATED}) {
      Msvp msvp = new Msvp(Scales.FULL, fusion, 2, 4, 0.5f);
      ModelSpec spec = ModelSpec.of(input, 3, "resnet18", null, msvp);
      try (var model = new ModelHarness(spec, Mode.INFER, 13)) {
        Shape shape = Shape.of(3, 8, 8, 2);
        float[] images = ModelHarness.randomImages(shape, 9);
        float[] logits = model.run(model.built.logits(), shape, images);
        float[] field = model.run(dev.vprompt.graph.Classifier.promptField(model.root, spec), shape, images);
        assertEquals(8 * 8 * 2, field.length);
        var folded = ModelSpec.of(input, 3, "resnet18", null,
            new dev.vprompt.graph.prompts.FoldedPrompt("msvp", input, field));
        var foldedLogits = model.run(
            dev.vprompt.graph.Classifier.fromScaled(dev.vprompt.ops.BuildContext.root(model.tf.withSubScope("folded"),
                model.params, Mode.INFER), folded, model.images).logits(), shape, images);
        assertArrayEquals(logits, foldedLogits, 1e-5f, fusion.label());
      }
    }
  }

  /** Every backbone takes an additive prompt through its first layer apart: same logits as conv(x + F). */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"cnn", "resnet18", "vit-tiny"})
  void theFieldThroughTheFirstLayerEqualsPromptingTheImage(String backbone) {
    InputSpec input = new InputSpec(16, 16, 3);
    ModelSpec spec = ModelSpec.of(input, 4, backbone, backbone.equals("vit-tiny") ? 4 : null,
        new Msvp(Scales.FULL, Fusion.GATED, 4, 8, 0.5f));
    try (var model = new ModelHarness(spec, Mode.INFER, 21)) {
      Shape shape = Shape.of(2, 16, 16, 3);
      float[] images = ModelHarness.randomImages(shape, 4);
      float[] viaField = model.run(model.built.logits(), shape, images);
      var ctx = dev.vprompt.ops.BuildContext.root(model.tf.withSubScope("plain"), model.params, Mode.INFER);
      var plainFeatures = spec.createBackbone().features(ctx.child("backbone"), model.built.prompted(), BlockHook.NONE);
      var plainLogits = dev.vprompt.ops.layers.Dense.of(4, spec.createBackbone().headInit())
          .apply(ctx.child("head"), plainFeatures);
      assertArrayEquals(model.run(plainLogits, shape, images), viaField, 1e-4f, backbone);
    }
  }
}

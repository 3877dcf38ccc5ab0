package dev.vprompt.graph.backbones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.BlockHook;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import dev.vprompt.ops.layers.Dense;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Swin and ConvNeXt: the geometry and settings checks timm applies. */
class PretrainedBackbonesTest {

  private static final InputSpec IMAGENET = new InputSpec(224, 224, 3);

  /** swin-b at 224: grids 56, 28, 14, 7; the last stage's grid equals the window, so it is never shifted. */
  @Test
  void swinStagesFollowTimmsWindowRule() {
    List<SwinTransformer.Stage> stages = SwinTransformer.named("swin-b", IMAGENET).stages();
    assertEquals(List.of(56, 28, 14, 7), stages.stream().map(SwinTransformer.Stage::height).toList());
    assertEquals(List.of(3, 3, 3, 0), stages.stream().map(SwinTransformer.Stage::shiftH).toList());
    assertEquals(List.of(64, 16, 4, 1), stages.stream().map(SwinTransformer.Stage::windows).toList());
    // 32x32 input: grids 8, 4, 2, 1; window 7 pads 8 to 14 at stage 1, then shrinks to the grid, unshifted
    List<SwinTransformer.Stage> small = SwinTransformer.named("swin-b", new InputSpec(32, 32, 3)).stages();
    assertEquals(14, small.get(0).paddedHeight());
    assertEquals(3, small.get(0).shiftH());
    assertEquals(List.of(7, 4, 2, 1), small.stream().map(SwinTransformer.Stage::windowH).toList());
    assertEquals(List.of(3, 0, 0, 0), small.stream().map(SwinTransformer.Stage::shiftW).toList());
  }

  @Test
  void timmKwargsGiveTheFixturesConfigurations() {
    SwinTransformer swin = SwinTransformer.fromTimmKwargs(Map.of("img_size", 32, "patch_size", 2, "window_size", 4,
        "embed_dim", 16, "depths", List.of(2, 2), "num_heads", List.of(2, 4), "num_classes", 10));
    assertEquals(new InputSpec(32, 32, 3), swin.input());
    assertEquals(32, swin.featureWidth());
    assertEquals(4, swin.blockCount());
    ConvNeXt convnext = ConvNeXt.fromTimmKwargs(Map.of("depths", List.of(1, 1, 1, 1), "dims", List.of(8, 16, 32, 64),
        "num_classes", 10), new InputSpec(32, 32, 3));
    assertEquals(64, convnext.featureWidth());
    assertEquals(4, convnext.blockCount());
    // the name a run's config.json records builds the same backbone again
    assertEquals("swin(patch=2,window=4,dim=16,depths=2-2,heads=2-4)", swin.name());
    assertEquals(swin, Backbones.create(swin.name(), swin.input(), null));
    assertEquals("convnext(depths=1-1-1-1,dims=8-16-32-64)", convnext.name());
    assertEquals(convnext, Backbones.create(convnext.name(), new InputSpec(32, 32, 3), null));
    assertEquals(new TimmArchitecture("swin", swin.name(), new InputSpec(32, 32, 3)),
        TimmArchitecture.ofTimm("swin", "SwinTransformer", "{\"img_size\": 32, \"patch_size\": 2, \"window_size\": 4,"
            + " \"embed_dim\": 16, \"depths\": [2, 2], \"num_heads\": [2, 4], \"num_classes\": 10}"));
  }

  @Test
  void badSettingsFailWithOneLineErrors() {
    List<Runnable> bad = List.of(
        () -> SwinTransformer.fromTimmKwargs(Map.of("img_size", 36, "patch_size", 2, "depths", List.of(2, 2, 2),
            "num_heads", List.of(1, 2, 4))),
        () -> SwinTransformer.fromTimmKwargs(Map.of("embed_dim", 96, "num_heads", List.of(5, 6, 12, 24))),
        () -> SwinTransformer.fromTimmKwargs(Map.of("depths", List.of(2, 2), "num_heads", List.of(3, 6, 12))),
        () -> SwinTransformer.fromTimmKwargs(Map.of("window_size", List.of(7, 8))),
        () -> SwinTransformer.fromTimmKwargs(Map.of("qkv_bias", false)),
        () -> SwinTransformer.fromTimmKwargs(Map.of("patch_norm", true)),
        () -> SwinTransformer.fromTimmKwargs(Map.of("depths", "2,2")),
        () -> SwinTransformer.named("swin-b", new InputSpec(2, 2, 3)),
        () -> ConvNeXt.fromTimmKwargs(Map.of("depths", List.of(1, 1, 1)), IMAGENET),
        () -> ConvNeXt.fromTimmKwargs(Map.of("use_grn", true), IMAGENET),
        () -> ConvNeXt.fromTimmKwargs(Map.of("in_chans", 1), IMAGENET),
        () -> ConvNeXt.named("convnext-b", new InputSpec(28, 28, 1)),
        () -> Backbones.create("swin(patch=4,window=7,dim=96,depths=2-2)", IMAGENET, null),
        () -> Backbones.create("convnext(depths=1-1-1-1,dims=8-16-32-64,gamma=1)", IMAGENET, null));
    for (Runnable r : bad) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
      assertTrue(!e.getMessage().isBlank() && !e.getMessage().contains("\n"), e.getMessage());
    }
    assertTrue(assertThrows(IllegalArgumentException.class, bad.get(0)::run).getMessage()
        .contains("needs an even grid, got 9x9"));
  }

  /**
   * In a training build every variable gets a finite, non-zero gradient: a Swin whose windows pad the grid
   * (12 by window 5, shifted) and a ConvNeXt, both with drop path on.
   */
  @Test
  void everyVariableGetsAGradientInTraining() {
    Backbone swin = new SwinTransformer("swin", new InputSpec(24, 24, 3), 2, 5, 8, List.of(2, 2), List.of(1, 2), 2,
        0.2f);
    assertEquals(15, ((SwinTransformer) swin).stages().get(0).paddedHeight());
    Backbone convnext = new ConvNeXt("convnext", new InputSpec(32, 32, 3), 4, List.of(1, 1, 2, 1),
        List.of(4, 8, 8, 16), 7, 2, 0.5f, 0.2f);
    for (Backbone backbone : List.of(swin, convnext)) {
      try (Graph graph = new Graph(); Session session = new Session(graph)) {
        Ops tf = Ops.create(graph);
        ParameterStore store = new ParameterStore(tf, 5);
        Shape shape = Shape.of(4, backbone instanceof ConvNeXt ? 32 : 24, backbone instanceof ConvNeXt ? 32 : 24, 3);
        float[] pixels = new float[(int) shape.size()];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < pixels.length; i++) {
          pixels[i] = (float) random.nextGaussian();
        }
        Operand<TFloat32> images = tf.constant(shape, org.tensorflow.ndarray.buffer.DataBuffers.of(pixels));
        BuildContext root = BuildContext.root(tf.withSubScope("train"), store, Mode.TRAIN);
        Operand<TFloat32> logits = Dense.of(3, backbone.headInit())
            .apply(root.child("head"), backbone.features(root.child("backbone"), images, BlockHook.NONE));
        Operand<TFloat32> loss = tf.math.mean(tf.math.square(tf.math.sub(logits, tf.constant(1f))),
            tf.constant(new int[] {0, 1}));
        List<Parameter> params = store.trainable();
        Output<?>[] grads = graph.addGradients(loss.asOutput(),
            params.stream().map(p -> p.variable().asOutput()).toArray(Output[]::new));
        session.initialize();
        Session.Runner runner = session.runner();
        for (Output<?> g : grads) {
          runner.fetch(g);
        }
        try (Result result = runner.run()) {
          for (int i = 0; i < grads.length; i++) {
            double norm = 0;
            for (float v : Tensors.toFloats(result.get(i))) {
              assertTrue(Float.isFinite(v), params.get(i).name());
              norm += v * v;
            }
            assertTrue(norm > 0, backbone.name() + ": " + params.get(i).name() + " got a zero gradient");
          }
        }
      }
    }
  }
}

package dev.vprompt.ops.layers;

import dev.vprompt.ops.Decay;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.ops.Init;
import dev.vprompt.ops.LayerHarness;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.check.GradientChecker;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

class ConvolutionTest {

  @Test
  void sameConvolutionOfOnesCountsTheInputPixelsUnderTheKernel() {
    Shape in = Shape.of(1, 3, 3, 1);
    var run =
        LayerHarness.run(in, LayerHarness.filled(in, 1f), Mode.INFER,
            (ctx, x) -> Conv2d.of(1, 3, 1).withInit(Init.constant(1f)).apply(ctx, x));
    assertEquals(Shape.of(1, 3, 3, 1), run.shape());
    assertArrayEquals(new float[] {4, 6, 4, 6, 9, 6, 4, 6, 4}, run.values(), 0f);
  }

  @Test
  void strideHalvesTheMapAndTheKernelIsCountedWithItsBias() {
    Shape in = Shape.of(2, 8, 8, 3);
    var run = LayerHarness.run(in, LayerHarness.ramp(in, 0.01f), Mode.INFER,
        (ctx, x) -> Conv2d.of(5, 3, 2).withBias(true).apply(ctx.child("c"), x));
    assertEquals(Shape.of(2, 4, 4, 5), run.shape());
    assertEquals(3 * 3 * 3 * 5 + 5, run.weightCount());
    assertTrue(run.params().contains("c.kernel"));
    assertTrue(run.params().contains("c.bias"));
  }

  @Test
  void dilationWidensTheReceptiveField() {
    Shape in = Shape.of(1, 5, 5, 1);
    var run = LayerHarness.run(in, LayerHarness.filled(in, 1f), Mode.INFER,
        (ctx, x) -> new Conv2d(1, 3, 1, Padding.VALID, 2, false, Init.constant(1f)).apply(ctx, x));
    assertEquals(Shape.of(1, 1, 1, 1), run.shape());
    assertEquals(9f, run.values()[0]);
  }

  @Test
  void dilatedConvolutionEqualsTensorFlowsForwardPass() {
    Shape in = Shape.of(1, 7, 7, 2);
    float[] input = LayerHarness.ramp(in, 0.01f);
    var spread = LayerHarness.run(in, input, Mode.INFER,
        (ctx, x) -> Conv2d.of(3, 3, 1).withDilation(2).apply(ctx, x));
    var expected = LayerHarness.run(in, input, Mode.INFER, (ctx, x) -> {
      var w = ctx.weight("kernel", Shape.of(3, 3, 2, 3), Init.kaimingNormalFanOut(), Decay.DECAYED).variable();
      return ctx.tf().nn.conv2d(x, w, java.util.List.of(1L, 1L, 1L, 1L), "SAME",
          org.tensorflow.op.nn.Conv2d.dilations(1L, 2L, 2L, 1L));
    });
    assertArrayEquals(expected.values(), spread.values(), 1e-5f);
  }

  @Test
  void depthwiseKeepsChannelsApart() {
    Shape in = Shape.of(1, 4, 4, 2);
    var run = LayerHarness.run(in, LayerHarness.ramp(in, 0.1f), Mode.INFER,
        (ctx, x) -> new DepthwiseConv2d(3, 2, 1, 1, true).apply(ctx, x));
    assertEquals(Shape.of(1, 4, 4, 4), run.shape());
    assertEquals(3 * 3 * 2 * 2 + 4, run.weightCount());
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    var checker = GradientChecker.standard();
    var conv = checker.check(Shape.of(2, 6, 6, 3), Mode.TRAIN, 1,
        (ctx, x) -> Conv2d.of(4, 3, 2).withBias(true).apply(ctx, x));
    assertTrue(conv.passed(), conv.toString());
    var dilated = checker.check(Shape.of(1, 7, 7, 2), Mode.TRAIN, 2,
        (ctx, x) -> Conv2d.of(3, 3, 1).withDilation(2).apply(ctx, x));
    assertTrue(dilated.passed(), dilated.toString());
    var depthwise = checker.check(Shape.of(1, 5, 5, 2), Mode.TRAIN, 3,
        (ctx, x) -> new DepthwiseConv2d(3, 1, 1, 1, true).apply(ctx, x));
    assertTrue(depthwise.passed(), depthwise.toString());
    var dilatedDepthwise = checker.check(Shape.of(1, 6, 6, 2), Mode.TRAIN, 4,
        (ctx, x) -> new DepthwiseConv2d(3, 2, 1, 2, false).apply(ctx, x));
    assertTrue(dilatedDepthwise.passed(), dilatedDepthwise.toString());
  }

  @Test
  void invalidSettingsAreRejectedInJava() {
    assertThrows(IllegalArgumentException.class, () -> Conv2d.of(0, 3, 1));
    assertThrows(IllegalArgumentException.class, () -> Conv2d.of(4, 3, 2).withDilation(2));
    Shape in = Shape.of(1, 2, 2, 1);
    assertThrows(IllegalArgumentException.class, () -> LayerHarness.run(in, new float[4], Mode.INFER,
        (ctx, x) -> Conv2d.of(1, 3, 1).withPadding(Padding.VALID).apply(ctx, x)));
  }
}

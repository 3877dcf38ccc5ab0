package dev.vprompt.ops.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Init;
import dev.vprompt.ops.LayerHarness;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Layer details where PyTorch's reference codes and TensorFlow's defaults differ. */
class ReferenceSemanticsTest {

  @Test
  void strideTwoConvolutionsPadOnBothSidesAsPyTorch() {
    Shape in = Shape.of(1, 4, 4, 1);
    // PyTorch Conv2d(1, 1, 3, stride=2, padding=1) of ones with a ones kernel: windows centred on pixels
    // 0 and 2 of each axis, so the corner window sees 2 x 2 pixels
    var torch = LayerHarness.run(in, LayerHarness.filled(in, 1f), Mode.INFER,
        (ctx, x) -> Conv2d.of(1, 3, 2).withInit(Init.constant(1f)).apply(ctx, x));
    assertArrayEquals(new float[] {4, 6, 6, 9}, torch.values(), 0f);
    // TensorFlow's SAME pads 0 before and 1 after: windows centred on pixels 1 and 3
    var same = LayerHarness.run(in, LayerHarness.filled(in, 1f), Mode.INFER,
        (ctx, x) -> Conv2d.of(1, 3, 2).withPadding(Padding.SAME).withInit(Init.constant(1f)).apply(ctx, x));
    assertArrayEquals(new float[] {9, 6, 6, 4}, same.values(), 0f);
  }

  @Test
  void aFieldAddedBeforeAStrideTwoConvolutionEqualsConvolvingTheSum() {
    Shape in = Shape.of(2, 5, 5, 2);
    float[] x = LayerHarness.ramp(in, 0.01f);
    float[] field = LayerHarness.ramp(Shape.of(1, 5, 5, 2), -0.03f);
    float[] sum = x.clone();
    for (int i = 0; i < sum.length; i++) {
      sum[i] += field[i % field.length];
    }
    var split = LayerHarness.run(in, x, Mode.INFER, (ctx, images) -> Conv2d.of(3, 3, 2).applyWithField(ctx, images,
        ctx.tf().constant(Shape.of(1, 5, 5, 2), org.tensorflow.ndarray.buffer.DataBuffers.of(field))));
    var whole = LayerHarness.run(in, sum, Mode.INFER, (ctx, images) -> Conv2d.of(3, 3, 2).apply(ctx, images));
    assertEquals(Shape.of(2, 3, 3, 3), whole.shape());
    assertArrayEquals(whole.values(), split.values(), 1e-5f);
  }

  @Test
  void dropoutIsOffInFrozenPartsOfATrainingBuild() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore params = new ParameterStore(tf, 3, name -> name.startsWith("backbone."));
      BuildContext ctx = BuildContext.root(tf, params, Mode.TRAIN);
      Operand<TFloat32> ones = tf.fill(tf.constant(new long[] {64, 32}), tf.constant(1f));
      Operand<TFloat32> frozen = new Dropout(0.5f).apply(ctx.child("backbone").child("mlp"), ones);
      Operand<TFloat32> trained = new Dropout(0.5f).apply(ctx.child("prompt"), ones);
      try (Session session = new Session(graph); Result result = session.runner().fetch(frozen).fetch(trained).run()) {
        float[] kept = Tensors.toFloats(result.get(0));
        float[] dropped = Tensors.toFloats(result.get(1));
        float[] expected = new float[kept.length];
        Arrays.fill(expected, 1f);
        assertArrayEquals(expected, kept, 0f, "a frozen backbone runs no dropout");
        assertFalse(Arrays.equals(expected, dropped), "the trainable prompt still does");
      }
    }
  }

  @Test
  void torchLinearDrawsKernelAndBiasFromTheFanInBound() {
    Shape in = Shape.of(1, 400);
    var run = LayerHarness.run(in, LayerHarness.filled(in, 0f), Mode.INFER,
        (ctx, x) -> Dense.of(300, Init.torchLinear()).apply(ctx.child("fc"), x));
    // zero input: the output is the bias, U(-1/20, 1/20) as PyTorch's nn.Linear default
    float bound = 1f / 20f;
    double sumSquares = 0;
    for (float b : run.values()) {
      assertTrue(Math.abs(b) <= bound, "bias " + b);
      sumSquares += b * b;
    }
    double std = Math.sqrt(sumSquares / run.values().length);
    assertEquals(bound / Math.sqrt(3), std, 0.15 * bound / Math.sqrt(3), "uniform std");
  }
}

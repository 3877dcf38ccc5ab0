package dev.vprompt.ops.layers;

import dev.vprompt.ops.Decay;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Init;
import dev.vprompt.ops.Shapes;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;

import org.tensorflow.types.TFloat32;

/**
 * 2-D convolution over NHWC input (NCHW was 40% slower on CPU). Variables: {@code kernel [k, k, in,
 * filters]} and, with bias, {@code bias [filters]}.
 */
public record Conv2d(
    int filters, int kernel, int stride, Padding padding, int dilation, boolean bias, Init init) {

  public Conv2d {
    Shapes.requirePositive(filters, "conv filters");
    Shapes.requirePositive(kernel, "conv kernel size");
    Shapes.requirePositive(stride, "conv stride");
    Shapes.requirePositive(dilation, "conv dilation");
    if (dilation > 1 && stride > 1) {
      throw new IllegalArgumentException("conv dilation > 1 needs stride 1 (TensorFlow's CPU kernel)");
    }
  }

  /** A k x k convolution, SAME padding, no bias, Kaiming-normal fan-out: the backbones' default. */
  public static Conv2d of(int filters, int kernel, int stride) {
    return new Conv2d(filters, kernel, stride, Padding.SAME, 1, false, Init.kaimingNormalFanOut());
  }

  public Conv2d withBias(boolean withBias) {
    return new Conv2d(filters, kernel, stride, padding, dilation, withBias, init);
  }

  public Conv2d withDilation(int rate) {
    return new Conv2d(filters, kernel, stride, padding, rate, bias, init);
  }

  public Conv2d withPadding(Padding mode) {
    return new Conv2d(filters, kernel, stride, mode, dilation, bias, init);
  }

  public Conv2d withInit(Init kernelInit) {
    return new Conv2d(filters, kernel, stride, padding, dilation, bias, kernelInit);
  }

  public Operand<TFloat32> apply(BuildContext ctx, Operand<TFloat32> x) {
    return applyWithField(ctx, x, null);
  }

  /**
   * {@code conv(x + field)} for a {@code [1, H, W, C]} field added to every image, computed as {@code
   * conv(x) + conv(field)}: equal, zero padding included, because convolution is linear, and the
   * gradient to the field then flows through a batch of one instead of the whole batch.
   */
  public Operand<TFloat32> applyWithField(BuildContext ctx, Operand<TFloat32> x, Operand<TFloat32> field) {
    Shapes.requireRank(x, 4, "conv2d " + ctx.prefix());
    int in = Shapes.staticDim(x, 3, "conv2d " + ctx.prefix());
    requireFits(x, ctx);
    Ops tf = ctx.tf();
    Operand<TFloat32> w =
        DilatedKernel.spread(
            tf,
            ctx.weight("kernel", Shape.of(kernel, kernel, in, filters), init, Decay.DECAYED).variable(),
            kernel,
            dilation,
            in,
            filters);
    List<Long> strides = List.of(1L, (long) stride, (long) stride, 1L);
    Operand<TFloat32> y = tf.nn.conv2d(x, w, strides, padding.name());
    if (field != null) {
      y = tf.math.add(y, tf.nn.conv2d(field, w, strides, padding.name()));
    }
    if (bias) {
      y = tf.nn.biasAdd(y, ctx.weight("bias", Shape.of(filters), Init.zeros(), Decay.NOT_DECAYED).variable());
    }
    return y;
  }

  private void requireFits(Operand<TFloat32> x, BuildContext ctx) {
    int span = dilation * (kernel - 1) + 1;
    if (padding == Padding.VALID) {
      for (int axis = 1; axis <= 2; axis++) {
        long size = x.shape().get(axis);
        if (size >= 0 && size < span) {
          throw new IllegalArgumentException(
              "conv2d " + ctx.prefix() + ": a " + span + "-pixel receptive field does not fit an input of "
                  + x.shape());
        }
      }
    }
  }
}

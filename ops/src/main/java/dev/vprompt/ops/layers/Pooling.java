package dev.vprompt.ops.layers;

import dev.vprompt.ops.Shapes;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Spatial pooling over NHWC tensors. */
public final class Pooling {
  private Pooling() {}

  /**
   * Max pooling with a square window, VALID padding (PyTorch's {@code MaxPool2d(k, s)}). Built as the
   * {@code MaxPool} op with its window in attributes, not the {@code MaxPoolV2} that {@code tf.nn.maxPool}
   * emits (window as tensors): only the former, and its gradient, are rewritten to oneDNN kernels.
   */
  public static Operand<TFloat32> max(Ops tf, Operand<TFloat32> x, int window, int stride) {
    requireFits(x, window, "max-pool");
    return tf.scope().opBuilder("MaxPool", "MaxPool")
        .addInput(x.asOutput())
        .setAttr("ksize", new long[] {1, window, window, 1})
        .setAttr("strides", new long[] {1, stride, stride, 1})
        .setAttr("padding", Padding.VALID.name())
        .build()
        .<TFloat32>output(0);
  }

  /** Average pooling with a square window, VALID padding. */
  public static Operand<TFloat32> average(Ops tf, Operand<TFloat32> x, int window, int stride) {
    requireFits(x, window, "average-pool");
    return tf.nn.avgPool(
        x,
        List.of(1L, (long) window, (long) window, 1L),
        List.of(1L, (long) stride, (long) stride, 1L),
        Padding.VALID.name());
  }

  /** Global average pooling {@code [B, H, W, C] -> [B, C]}. */
  public static Operand<TFloat32> globalAverage(Ops tf, Operand<TFloat32> x) {
    Shapes.requireRank(x, 4, "global average pool");
    return tf.math.mean(x, tf.constant(new int[] {1, 2}));
  }

  private static void requireFits(Operand<TFloat32> x, int window, String what) {
    Shapes.requireRank(x, 4, what);
    Shapes.requirePositive(window, what + " window");
    for (int axis = 1; axis <= 2; axis++) {
      long size = x.shape().get(axis);
      if (size >= 0 && size < window) {
        throw new IllegalArgumentException(
            what + ": window " + window + " is larger than the input " + x.shape());
      }
    }
  }
}

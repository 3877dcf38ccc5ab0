package dev.vprompt.ops.layers;

import dev.vprompt.ops.Decay;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Init;
import dev.vprompt.ops.Shapes;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A fully connected layer over the last axis of a rank-2 {@code [B, in]} or rank-3 {@code [B, T, in]}
 * input. Variables: {@code kernel [in, units]}, {@code bias [units]}.
 */
public record Dense(int units, boolean bias, Init init) {

  public Dense {
    Shapes.requirePositive(units, "dense units");
  }

  public static Dense of(int units, Init init) {
    return new Dense(units, true, init);
  }

  public Operand<TFloat32> apply(BuildContext ctx, Operand<TFloat32> x) {
    Shape shape = x.shape();
    int rank = shape.numDimensions();
    if (rank != 2 && rank != 3) {
      throw new IllegalArgumentException(
          "dense " + ctx.prefix() + " expects [B, in] or [B, T, in], got shape " + shape);
    }
    int in = Shapes.staticDim(x, -1, "dense " + ctx.prefix());
    Ops tf = ctx.tf();
    Operand<TFloat32> w = ctx.weight("kernel", Shape.of(in, units), init, Decay.DECAYED).variable();
    Operand<TFloat32> flat = rank == 2 ? x : tf.reshape(x, tf.constant(new long[] {-1, in}));
    Operand<TFloat32> y = tf.linalg.matMul(flat, w);
    if (bias) {
      y = tf.nn.biasAdd(y, ctx.weight("bias", Shape.of(units), Init.zeros(), Decay.NOT_DECAYED).variable());
    }
    if (rank == 3) {
      int tokens = Shapes.staticDim(x, 1, "dense " + ctx.prefix());
      y = tf.reshape(y, tf.constant(new long[] {-1, tokens, units}));
    }
    return y;
  }
}

package dev.vprompt.ops.layers;

import dev.vprompt.ops.BuildContext;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Inverted dropout in the training graph, identity in the inference graph and in frozen parts of the
 * model (a frozen backbone runs in eval mode, as both reference codes do). The mask comes from a
 * stateless random op seeded by the step seed, so a resumed run draws the same masks; it sits behind
 * a stop-gradient because its shape is read from the input, and random ops have no gradient.
 */
public record Dropout(float rate) {

  public Dropout {
    if (!(rate >= 0f && rate < 1f)) {
      throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
    }
  }

  public Operand<TFloat32> apply(BuildContext ctx, Operand<TFloat32> x) {
    if (!ctx.training() || rate == 0f || ctx.frozen()) {
      return x;
    }
    Ops tf = ctx.tf();
    Operand<TFloat32> uniform = ctx.randomUniform(tf.shape(x));
    Operand<TFloat32> keep =
        tf.stopGradient(
            tf.math.div(
                tf.dtypes.cast(tf.math.greaterEqual(uniform, tf.constant(rate)), TFloat32.class),
                tf.constant(1f - rate)));
    return tf.math.mul(x, keep);
  }
}

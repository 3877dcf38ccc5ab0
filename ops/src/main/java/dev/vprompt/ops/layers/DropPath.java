package dev.vprompt.ops.layers;

import dev.vprompt.ops.BuildContext;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Stochastic depth (timm's {@code DropPath}, scale by keep): in the training graph each sample's
 * residual branch is zeroed with probability {@code rate} and otherwise divided by {@code 1 - rate};
 * identity in the inference graph. One draw per sample from a stateless op seeded by the step seed,
 * behind a stop-gradient since its shape is read from the input.
 */
public record DropPath(float rate) {

  public DropPath {
    if (!(rate >= 0f && rate < 1f)) {
      throw new IllegalArgumentException("drop-path rate must be in [0, 1), got " + rate);
    }
  }

  public Operand<TFloat32> apply(BuildContext ctx, Operand<TFloat32> branch) {
    if (!ctx.training() || rate == 0f) {
      return branch;
    }
    Ops tf = ctx.tf();
    int rank = branch.shape().numDimensions();
    int[] ones = new int[rank - 1];
    Arrays.fill(ones, 1);
    Operand<TInt32> batch = tf.stridedSlice(tf.shape(branch), Indices.slice(0, 1));
    Operand<TInt32> shape = tf.concat(List.of(batch, tf.constant(ones)), tf.constant(0));
    Operand<TFloat32> uniform = tf.random.statelessRandomUniform(shape, ctx.nextSeed());
    Operand<TFloat32> keep = tf.stopGradient(tf.math.div(
        tf.dtypes.cast(tf.math.greaterEqual(uniform, tf.constant(rate)), TFloat32.class), tf.constant(1f - rate)));
    return tf.math.mul(branch, keep);
  }
}

package dev.vprompt.ops.layers;

import dev.vprompt.ops.Decay;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Init;
import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.Shapes;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Batch normalisation over the channels of an NHWC tensor, with PyTorch's conventions: {@code
 * momentum} weighs the new batch ({@code running = (1 - m) running + m batch}, m = 0.1) and the
 * running variance takes the unbiased batch variance, as TensorFlow's fused kernel returns it.
 *
 * <p>Training mode normalises with the batch statistics and registers the moving-average updates on
 * the context; inference mode uses the moving statistics. A frozen scale means a frozen layer: it then
 * normalises with its moving statistics in both modes and never updates them.
 *
 * <p>In a tower of a data-parallel step with synchronised statistics ({@link BuildContext#towerSum()}),
 * the batch moments are those of the global batch: the towers' sums, then their sums of squared
 * deviations from the global mean, each added over the towers in the graph (PyTorch's {@code
 * SyncBatchNorm}, with the variance in two passes as the fused kernel computes it).
 */
public record BatchNorm(float momentum, float epsilon) {

  /** PyTorch's {@code nn.BatchNorm2d} defaults. */
  public static final BatchNorm DEFAULT = new BatchNorm(0.1f, 1e-5f);

  public BatchNorm {
    if (!(momentum > 0f && momentum <= 1f)) {
      throw new IllegalArgumentException("batch-norm momentum must be in (0, 1], got " + momentum);
    }
    if (!(epsilon > 0f)) {
      throw new IllegalArgumentException("batch-norm epsilon must be positive, got " + epsilon);
    }
  }

  public Operand<TFloat32> apply(BuildContext ctx, Operand<TFloat32> x) {
    Shapes.requireRank(x, 4, "batch-norm " + ctx.prefix());
    int channels = Shapes.staticDim(x, 3, "batch-norm " + ctx.prefix());
    Shape shape = Shape.of(channels);
    Parameter gamma = ctx.weight("gamma", shape, Init.constant(1f), Decay.NOT_DECAYED);
    Parameter beta = ctx.weight("beta", shape, Init.zeros(), Decay.NOT_DECAYED);
    Parameter movingMean = ctx.statistic("moving_mean", shape, Init.zeros());
    Parameter movingVariance = ctx.statistic("moving_variance", shape, Init.constant(1f));
    Ops tf = ctx.tf();

    boolean batchStatistics = ctx.training() && gamma.trainable();
    if (!batchStatistics) {
      return tf.nn
          .fusedBatchNorm(
              x,
              gamma.variable(),
              beta.variable(),
              movingMean.variable(),
              movingVariance.variable(),
              FusedBatchNorm.isTraining(false),
              FusedBatchNorm.epsilon(epsilon))
          .y();
    }
    if (ctx.towerSum() != null) {
      return synchronised(ctx, x, gamma, beta, movingMean, movingVariance);
    }
    Operand<TFloat32> empty = tf.constant(new float[0]);
    FusedBatchNorm<TFloat32, TFloat32> bn =
        tf.nn.fusedBatchNorm(
            x,
            gamma.variable(),
            beta.variable(),
            empty,
            empty,
            FusedBatchNorm.isTraining(true),
            FusedBatchNorm.epsilon(epsilon));
    ctx.addUpdate(movingAverage(tf, movingMean, bn.batchMean()));
    ctx.addUpdate(movingAverage(tf, movingVariance, bn.batchVariance()));
    return bn.y();
  }

  private Operand<TFloat32> synchronised(BuildContext ctx, Operand<TFloat32> x, Parameter gamma, Parameter beta,
      Parameter movingMean, Parameter movingVariance) {
    Ops tf = ctx.tf();
    Operand<TInt32> axes = tf.constant(new int[] {0, 1, 2});
    Operand<TInt32> shape = tf.shape(x, TInt32.class);
    Operand<TFloat32> count = tf.stopGradient(tf.reshape(tf.dtypes.cast(
        tf.reduceProd(tf.slice(shape, tf.constant(new int[] {0}), tf.constant(new int[] {3})), tf.constant(0)),
        TFloat32.class), tf.constant(new int[] {1})));
    List<Operand<TFloat32>> first = ctx.towerSum().sum(List.of(tf.reduceSum(x, axes), count));
    Operand<TFloat32> n = first.get(1);
    Operand<TFloat32> mean = tf.math.div(first.get(0), n);
    Operand<TFloat32> centred = tf.math.sub(x, mean);
    Operand<TFloat32> squares = ctx.towerSum().sum(List.of(tf.reduceSum(tf.math.square(centred), axes))).get(0);
    Operand<TFloat32> variance = tf.math.div(squares, n);
    Operand<TFloat32> scale = tf.math.mul(gamma.variable(), tf.math.rsqrt(tf.math.add(variance, tf.constant(epsilon))));
    // the moving variance takes the unbiased batch variance, as the fused kernel returns it
    Operand<TFloat32> unbiased = tf.math.div(squares, tf.math.maximum(tf.math.sub(n, tf.constant(1f)), tf.constant(1f)));
    ctx.addUpdate(movingAverage(tf, movingMean, mean));
    ctx.addUpdate(movingAverage(tf, movingVariance, unbiased));
    return tf.math.add(tf.math.mul(centred, scale), beta.variable());
  }

  private org.tensorflow.op.Op movingAverage(Ops tf, Parameter moving, Operand<TFloat32> batch) {
    Operand<TFloat32> delta =
        tf.math.mul(tf.math.sub(moving.variable(), tf.stopGradient(batch)), tf.constant(momentum));
    return tf.assignSub(moving.variable(), delta);
  }
}

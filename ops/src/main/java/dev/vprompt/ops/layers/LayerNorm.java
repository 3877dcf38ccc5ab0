package dev.vprompt.ops.layers;

import dev.vprompt.ops.Decay;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Init;
import dev.vprompt.ops.Shapes;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * Layer normalisation over the last axis with a learned scale and shift, written out from elementary
 * ops (all of which have gradients in TensorFlow Java). Variables: {@code gamma}, {@code beta}.
 */
public record LayerNorm(float epsilon) {

  /** PyTorch's {@code nn.LayerNorm} default. */
  public static final LayerNorm DEFAULT = new LayerNorm(1e-5f);

  public Operand<TFloat32> apply(BuildContext ctx, Operand<TFloat32> x) {
    int features = Shapes.staticDim(x, -1, "layer-norm " + ctx.prefix());
    Ops tf = ctx.tf();
    Operand<TFloat32> gamma = ctx.weight("gamma", Shape.of(features), Init.constant(1f), Decay.NOT_DECAYED).variable();
    Operand<TFloat32> beta = ctx.weight("beta", Shape.of(features), Init.zeros(), Decay.NOT_DECAYED).variable();
    Operand<org.tensorflow.types.TInt32> lastAxis = tf.constant(new int[] {-1});
    Operand<TFloat32> mean = tf.math.mean(x, lastAxis, Mean.keepDims(true));
    Operand<TFloat32> centred = tf.math.sub(x, mean);
    Operand<TFloat32> variance =
        tf.math.mean(tf.math.square(centred), lastAxis, Mean.keepDims(true));
    Operand<TFloat32> normalised =
        tf.math.mul(centred, tf.math.rsqrt(tf.math.add(variance, tf.constant(epsilon))));
    return tf.math.add(tf.math.mul(normalised, gamma), beta);
  }
}

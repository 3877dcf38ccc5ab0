package dev.vprompt.ops.layers;

import org.tensorflow.Operand;
import org.tensorflow.framework.op.nn.GELU;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Activation functions not provided as single TensorFlow ops. */
public final class Activations {
  private Activations() {}

  /**
   * Exact GELU, {@code 0.5 x (1 + erf(x / sqrt 2))}, as PyTorch's {@code nn.GELU()}: TensorFlow Java
   * framework's (1.1.0) non-approximate form.
   */
  public static Operand<TFloat32> gelu(Ops tf, Operand<TFloat32> x) {
    return GELU.gelu(tf.scope(), x, false);
  }
}

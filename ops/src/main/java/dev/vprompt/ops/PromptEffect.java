package dev.vprompt.ops;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What one prompted layer adds, as two scalars of a build: the mean square of the added prompt and the
 * mean square of the activation it is added to (over the batch and every element). Their ratio's root,
 * {@code RMS(prompt) / RMS(activation)}, is how strongly the prompt disturbs that layer: about 0 for a
 * prompt that has collapsed, the "semantic disruption" LoTeP argues about when large.
 *
 * @param layer {@code input} for the image, {@code block<l>} for the input of block l
 */
public record PromptEffect(String layer, Operand<TFloat32> promptMeanSquare, Operand<TFloat32> activationMeanSquare) {

  /** Below this ratio a prompt is reported as collapsed. */
  public static final double COLLAPSED_BELOW = 1e-4;

  /** The effect of adding {@code prompt} (broadcast as in the model) to {@code activation}. */
  public static PromptEffect of(Ops tf, String layer, Operand<TFloat32> prompt, Operand<TFloat32> activation) {
    return new PromptEffect(layer, meanSquare(tf, prompt), meanSquare(tf, activation));
  }

  private static Operand<TFloat32> meanSquare(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> flat = tf.reshape(tf.stopGradient(x), tf.constant(new long[] {-1}));
    return tf.math.mean(tf.math.square(flat), tf.constant(0));
  }
}

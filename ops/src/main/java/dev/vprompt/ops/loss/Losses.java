package dev.vprompt.ops.loss;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Classification losses. */
public final class Losses {
  private Losses() {}

  /**
   * Mean softmax cross-entropy of {@code [B, K]} logits against {@code [B]} integer labels. Registers
   * the op's missing gradient on first use.
   */
  public static Operand<TFloat32> sparseCrossEntropy(
      Ops tf, Operand<TFloat32> logits, Operand<TInt32> labels) {
    CustomGradients.ensureRegistered();
    Operand<TFloat32> perExample = tf.nn.sparseSoftmaxCrossEntropyWithLogits(logits, labels).loss();
    return tf.math.mean(perExample, tf.constant(0));
  }

  /**
   * The summed (not averaged) cross-entropy of a batch: one tower's share of a global batch's mean once
   * divided by the global batch size, and 0, not NaN, for a tower whose share of a small last batch is
   * empty.
   */
  public static Operand<TFloat32> sparseCrossEntropySum(
      Ops tf, Operand<TFloat32> logits, Operand<TInt32> labels) {
    CustomGradients.ensureRegistered();
    Operand<TFloat32> perExample = tf.nn.sparseSoftmaxCrossEntropyWithLogits(logits, labels).loss();
    return tf.reduceSum(perExample, tf.constant(0));
  }

  /**
   * The summed cross-entropy of {@code [B, K]} logits against soft targets (rows summing to 1), as timm's
   * {@code SoftTargetCrossEntropy} before its mean; the targets get no gradient.
   */
  public static Operand<TFloat32> softCrossEntropySum(
      Ops tf, Operand<TFloat32> logits, Operand<TFloat32> targets) {
    Operand<TFloat32> perExample =
        tf.nn.softmaxCrossEntropyWithLogits(logits, tf.stopGradient(targets)).loss();
    return tf.reduceSum(perExample, tf.constant(0));
  }
}

package dev.vprompt.ops.layers;

import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Init;
import dev.vprompt.ops.Shapes;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;

/**
 * Multi-head self-attention over {@code [B, T, d]} tokens, timm's layout: one {@code qkv} projection
 * to {@code 3d}, scaled dot-product attention per head, attention dropout, then {@code proj} and
 * projection dropout.
 */
public record MultiHeadSelfAttention(int heads, float attentionDropout, float projectionDropout, Init init) {

  public MultiHeadSelfAttention {
    Shapes.requirePositive(heads, "attention heads");
  }

  public Operand<TFloat32> apply(BuildContext ctx, Operand<TFloat32> x) {
    return apply(ctx, x, QkvAdapter.NONE);
  }

  /** With the {@code qkv} projection's output changed by {@code adapter} (LoRA's hook). */
  public Operand<TFloat32> apply(BuildContext ctx, Operand<TFloat32> x, QkvAdapter adapter) {
    Shapes.requireRank(x, 3, "attention " + ctx.prefix());
    int tokens = Shapes.staticDim(x, 1, "attention " + ctx.prefix());
    int dim = Shapes.staticDim(x, 2, "attention " + ctx.prefix());
    if (dim % heads != 0) {
      throw new IllegalArgumentException(
          "attention " + ctx.prefix() + ": width " + dim + " is not divisible by " + heads + " heads");
    }
    int headDim = dim / heads;
    Ops tf = ctx.tf();

    BuildContext qkvCtx = ctx.child("qkv");
    Operand<TFloat32> qkv = adapter.adapt(qkvCtx.qualify("kernel"), x, Dense.of(3 * dim, init).apply(qkvCtx, x));
    // [B, T, 3, h, dh] -> [3, B, h, T, dh]
    qkv = tf.reshape(qkv, tf.constant(new long[] {-1, tokens, 3, heads, headDim}));
    qkv = tf.linalg.transpose(qkv, tf.constant(new int[] {2, 0, 3, 1, 4}));
    List<Operand<TFloat32>> parts = splitQkv(tf, qkv, tokens, heads, headDim);

    Operand<TFloat32> scores =
        tf.math.mul(
            tf.train.batchMatMul(parts.get(0), parts.get(1), TFloat32.class, BatchMatMul.adjY(true)),
            tf.constant((float) (1.0 / Math.sqrt(headDim))));
    Operand<TFloat32> weights = new Dropout(attentionDropout).apply(ctx, tf.nn.softmax(scores));
    Operand<TFloat32> context = tf.train.batchMatMul(weights, parts.get(2), TFloat32.class);
    // [B, h, T, dh] -> [B, T, d]
    context = tf.linalg.transpose(context, tf.constant(new int[] {0, 2, 1, 3}));
    context = tf.reshape(context, tf.constant(new long[] {-1, tokens, dim}));
    Operand<TFloat32> out = Dense.of(dim, init).apply(ctx.child("proj"), context);
    return new Dropout(projectionDropout).apply(ctx, out);
  }

  private static List<Operand<TFloat32>> splitQkv(
      Ops tf, Operand<TFloat32> qkv, int tokens, int heads, int headDim) {
    long[] perPart = {-1, heads, tokens, headDim};
    return tf.split(tf.constant(0), qkv, 3L).output().stream()
        .map(part -> (Operand<TFloat32>) tf.reshape(part, tf.constant(perPart)))
        .toList();
  }
}

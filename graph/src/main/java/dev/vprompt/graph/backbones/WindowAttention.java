package dev.vprompt.graph.backbones;

import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Decay;
import dev.vprompt.ops.Init;
import dev.vprompt.ops.layers.Dense;
import dev.vprompt.ops.layers.Dropout;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;

/**
 * Swin's window multi-head self-attention (timm's {@code WindowAttention}) over {@code [B * windows, n,
 * d]}: fused {@code qkv}, {@code softmax(q k^T / sqrt(dh) + bias + mask) v}, {@code proj}. The bias of
 * each head comes from a learned table {@code relative_position_bias_table [(2 wh - 1)(2 ww - 1), heads]}
 * gathered by the constant relative position index; the mask (shifted blocks only) is {@code [windows, n,
 * n]} of 0 and -100, shared by every image.
 */
record WindowAttention(int heads, int windowHeight, int windowWidth, float attentionDropout, float projectionDropout,
    Init init) {

  Operand<TFloat32> apply(BuildContext ctx, Operand<TFloat32> windows, int dim, float[] mask, int windowCount) {
    int n = windowHeight * windowWidth;
    int headDim = dim / heads;
    Ops tf = ctx.tf();
    Operand<TFloat32> qkv = Dense.of(3 * dim, init).apply(ctx.child("qkv"), windows);
    // [B', n, 3, h, dh] -> [3, B', h, n, dh]
    qkv = tf.reshape(qkv, tf.constant(new long[] {-1, n, 3, heads, headDim}));
    qkv = tf.linalg.transpose(qkv, tf.constant(new int[] {2, 0, 3, 1, 4}));
    List<Operand<TFloat32>> parts = tf.split(tf.constant(0), qkv, 3L).output().stream()
        .map(part -> (Operand<TFloat32>) tf.reshape(part, tf.constant(new long[] {-1, heads, n, headDim})))
        .toList();
    Operand<TFloat32> q = tf.math.mul(parts.get(0), tf.constant((float) (1.0 / Math.sqrt(headDim))));
    Operand<TFloat32> scores = tf.train.batchMatMul(q, parts.get(1), TFloat32.class, BatchMatMul.adjY(true));
    scores = tf.math.add(scores, relativePositionBias(ctx, n));
    if (mask != null) {
      Operand<TFloat32> perWindow = tf.reshape(scores, tf.constant(new long[] {-1, windowCount, heads, n, n}));
      Operand<TFloat32> masks = tf.constant(Shape.of(1, windowCount, 1, n, n),
          org.tensorflow.ndarray.buffer.DataBuffers.of(mask));
      scores = tf.reshape(tf.math.add(perWindow, masks), tf.constant(new long[] {-1, heads, n, n}));
    }
    Operand<TFloat32> weights = new Dropout(attentionDropout).apply(ctx, tf.nn.softmax(scores));
    Operand<TFloat32> context = tf.train.batchMatMul(weights, parts.get(2), TFloat32.class);
    context = tf.linalg.transpose(context, tf.constant(new int[] {0, 2, 1, 3}));
    context = tf.reshape(context, tf.constant(new long[] {-1, n, dim}));
    Operand<TFloat32> out = Dense.of(dim, init).apply(ctx.child("proj"), context);
    return new Dropout(projectionDropout).apply(ctx, out);
  }

  /** {@code [1, heads, n, n]}: the table's rows picked by the relative position of each token pair. */
  private Operand<TFloat32> relativePositionBias(BuildContext ctx, int n) {
    Ops tf = ctx.tf();
    int rows = (2 * windowHeight - 1) * (2 * windowWidth - 1);
    Operand<TFloat32> table = ctx.weight("relative_position_bias_table", Shape.of(rows, heads),
        Init.truncatedNormal(0.02f), Decay.NOT_DECAYED).variable();
    Operand<TFloat32> picked = tf.gather(table,
        tf.constant(SwinWindows.relativePositionIndex(windowHeight, windowWidth)), tf.constant(0));
    picked = tf.reshape(picked, tf.constant(new long[] {n, n, heads}));
    return tf.expandDims(tf.linalg.transpose(picked, tf.constant(new int[] {2, 0, 1})), tf.constant(0));
  }
}

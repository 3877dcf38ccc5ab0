package dev.vprompt.graph.backbones;

import dev.vprompt.graph.BlockHook;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Decay;
import dev.vprompt.ops.Init;
import dev.vprompt.ops.layers.Dropout;
import dev.vprompt.ops.layers.GeluMlp;
import dev.vprompt.ops.layers.LayerNorm;
import dev.vprompt.ops.layers.MultiHeadSelfAttention;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The token embedding and encoder that both Vision Transformers ({@link VisionTransformer}, {@link TimmVit})
 * share, as "An Image is Worth 16x16 Words" (Dosovitskiy et al., arXiv:2010.11929) reads: a class token
 * before the patch tokens, learned position embeddings that include the class position, pre-norm blocks
 * {@code x = x + attn(norm1(x)); x = x + mlp(norm2(x))}, and the final norm of the class token. The two
 * backbones differ only in the values given here (norm eps, dropout, initialisations).
 *
 * <p>Variables: {@code cls_token}, {@code pos_embed}, {@code blockN/{norm1,attn,norm2,mlp}}, {@code norm};
 * the attention's q/k/v projection is {@code blockN/attn/qkv}, built in {@link #attention()}.
 */
record VitEncoder(int dim, int depth, int heads, int mlpHidden, LayerNorm norm, float dropout, Init linearInit) {

  /**
   * {@code [B, patches, dim]} patch tokens to {@code [B, patches + 1, dim]}: the class token first, plus
   * the position embedding, then embedding dropout.
   */
  Operand<TFloat32> tokens(
      BuildContext ctx, Operand<TFloat32> patchTokens, int patches, Init classInit, Init positionInit) {
    Ops tf = ctx.tf();
    Operand<TFloat32> cls = ctx.weight("cls_token", Shape.of(1, 1, dim), classInit, Decay.NOT_DECAYED).variable();
    // one class token per image, broadcast by adding to a zeroed slice of the patch tokens (no Shape op
    // on the gradient path)
    Operand<TFloat32> firstPatch =
        tf.stridedSlice(patchTokens, Indices.all(), Indices.slice(0, 1), Indices.all());
    Operand<TFloat32> clsTokens = tf.math.add(tf.math.mul(tf.stopGradient(firstPatch), tf.constant(0f)), cls);
    Operand<TFloat32> tokens = tf.concat(List.of(clsTokens, patchTokens), tf.constant(1));
    Operand<TFloat32> position =
        ctx.weight("pos_embed", Shape.of(1, patches + 1, dim), positionInit, Decay.NOT_DECAYED).variable();
    return new Dropout(dropout).apply(ctx, tf.math.add(tokens, position));
  }

  /** The blocks, with the prompt's hooks around each, then the norm of the class token. */
  Features encode(BuildContext ctx, Operand<TFloat32> tokens, BlockHook prompt) {
    BlockTrace hook = new BlockTrace(prompt);
    Operand<TFloat32> x = tokens;
    for (int j = 0; j < depth; j++) {
      x = hook.beforeBlock(j, x);
      x = block(ctx.child("block" + (j + 1)), x);
      x = hook.afterBlock(j, x);
    }
    // norm is per token: the class token's norm is the norm's class token (timm norms all, then pools)
    Operand<TFloat32> cls = ctx.tf().stridedSlice(x, Indices.all(), Indices.at(0), Indices.all());
    return hook.features(norm.apply(ctx.child("norm"), cls));
  }

  /** One pre-norm block. */
  Operand<TFloat32> block(BuildContext ctx, Operand<TFloat32> x) {
    Ops tf = ctx.tf();
    Operand<TFloat32> attended = attention().apply(ctx.child("attn"), norm.apply(ctx.child("norm1"), x));
    x = tf.math.add(x, attended);
    Operand<TFloat32> mlp = new GeluMlp(mlpHidden, dropout, linearInit).apply(ctx.child("mlp"), norm.apply(ctx.child("norm2"), x));
    return tf.math.add(x, mlp);
  }

  /** Every block's self-attention (fused qkv projection, then proj), the one place both ViTs build it. */
  MultiHeadSelfAttention attention() {
    return new MultiHeadSelfAttention(heads, dropout, dropout, linearInit);
  }
}

package dev.vprompt.graph;

import dev.vprompt.ops.layers.QkvAdapter;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Where deep prompts enter a backbone. {@link #beforeBlock} gets the input of each block (a stage of
 * the CNN, a residual block of ResNet, a transformer block of the ViT, whose input is {@code [B, 1 + N,
 * d]} tokens with the class token first) and returns what the block sees instead; {@link #afterBlock}
 * gets the block's output, e.g. to drop prompt tokens that {@code beforeBlock} inserted (VPT-deep).
 * Backbones with self-attention (the ViTs, Swin) also pass each block's fused {@code qkv} projection
 * through {@link #attentionQkv}, where LoRA adds its low-rank update.
 */
public interface BlockHook {

  BlockHook NONE = new BlockHook() {};

  default Operand<TFloat32> beforeBlock(int block, Operand<TFloat32> x) {
    return x;
  }

  default Operand<TFloat32> afterBlock(int block, Operand<TFloat32> x) {
    return x;
  }

  /**
   * The output of block {@code block}'s fused qkv projection ({@code [B, T, 3d]}, q then k then v) as the
   * attention should use it; {@code kernel} names the projection's {@code [d, 3d]} kernel variable.
   */
  default Operand<TFloat32> attentionQkv(int block, String kernel, Operand<TFloat32> input, Operand<TFloat32> qkv) {
    return qkv;
  }

  /** This hook's {@link #attentionQkv} for one block, as the attention layers take it. */
  default QkvAdapter qkvAdapter(int block) {
    return (kernel, input, qkv) -> attentionQkv(block, kernel, input, qkv);
  }
}

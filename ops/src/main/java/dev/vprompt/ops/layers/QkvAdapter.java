package dev.vprompt.ops.layers;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A change to an attention layer's fused {@code qkv} projection, given the projection's input and output:
 * LoRA ("LoRA: Low-Rank Adaptation of Large Language Models", Hu et al., arXiv:2106.09685) adds its
 * low-rank update to the q and v columns here.
 */
@FunctionalInterface
public interface QkvAdapter {

  /** Leaves the projection as it is. */
  QkvAdapter NONE = (kernel, input, qkv) -> qkv;

  /**
   * @param kernel the full name of the projection's kernel variable, {@code [d, 3d]}
   * @param input the projection's input, {@code [B, T, d]}
   * @param qkv its output {@code input kernel + bias}, {@code [B, T, 3d]}, q then k then v
   * @return what the attention uses instead, of the same shape
   */
  Operand<TFloat32> adapt(String kernel, Operand<TFloat32> input, Operand<TFloat32> qkv);
}

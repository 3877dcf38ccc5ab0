package dev.vprompt.graph.backbones;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * What one build of a backbone returns: the pooled features and every block's input and output, as
 * timm's {@code forward_intermediates} does (Grad-CAM reads them; nothing else needs to pose as a
 * prompt to see inside).
 *
 * @param pooled {@code [B, F]}, what the head reads
 * @param blockInputs each block's input as the backbone gives it, before a prompt's hook changes it
 * @param blockOutputs each block's output after the prompt's hook (deep prompts' extra tokens dropped)
 */
public record Features(
    Operand<TFloat32> pooled, List<Operand<TFloat32>> blockInputs, List<Operand<TFloat32>> blockOutputs) {

  public Features {
    blockInputs = List.copyOf(blockInputs);
    blockOutputs = List.copyOf(blockOutputs);
  }

  /** The input of the last block. */
  public Operand<TFloat32> lastBlockInput() {
    return blockInputs.get(blockInputs.size() - 1);
  }

  /** The output of the last block. */
  public Operand<TFloat32> lastBlockOutput() {
    return blockOutputs.get(blockOutputs.size() - 1);
  }
}

package dev.vprompt.graph.prompts;

import dev.vprompt.graph.BlockHook;
import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.ops.BuildContext;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A prompt already merged into the backbone's weights ({@link WeightUpdates}): it adds nothing to the
 * graph. This is what an exported model holds instead of, e.g., LoRA's factors.
 *
 * @param name the name of the prompt it replaces
 */
public record MergedPrompt(String name) implements Prompt {

  @Override
  public Contribution build(BuildContext ctx, Operand<TFloat32> images, Backbone backbone) {
    return Contribution.of(images, BlockHook.NONE);
  }
}

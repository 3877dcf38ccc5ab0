package dev.vprompt.graph.prompts.baselines;

import dev.vprompt.graph.prompts.Contribution;
import dev.vprompt.graph.BlockHook;
import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.graph.prompts.Prompt;
import dev.vprompt.ops.BuildContext;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The baseline: images go to the backbone unchanged. */
public record NoPrompt() implements Prompt {

  public static final String NAME = "none";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Contribution build(BuildContext ctx, Operand<TFloat32> images, Backbone backbone) {
    return Contribution.of(images, BlockHook.NONE);
  }

  public Operand<TFloat32> apply(BuildContext ctx, Operand<TFloat32> images) {
    return images;
  }
}

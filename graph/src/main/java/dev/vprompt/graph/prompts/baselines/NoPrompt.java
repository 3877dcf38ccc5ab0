package dev.vprompt.graph.prompts;

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
  public Operand<TFloat32> apply(BuildContext ctx, Operand<TFloat32> images) {
    return images;
  }
}

package dev.vprompt.graph.prompts;

import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Tensors;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * An input-independent prompt baked into the graph: one {@code [1, H, W, C]} constant added to the
 * normalised image. This is what an exported model holds instead of the prompt's variables.
 *
 * @param name the name of the prompt it replaces
 * @param field the field, {@code H * W * C} values in NHWC order
 */
public record FoldedPrompt(String name, InputSpec input, float[] field) implements Prompt {

  public FoldedPrompt {
    if (field.length != input.pixels()) {
      throw new IllegalArgumentException("a folded prompt for " + input + " needs " + input.pixels()
          + " values, got " + field.length);
    }
  }

  @Override
  public void validate(InputSpec image, Backbone backbone) {
    if (!image.equals(input)) {
      throw new IllegalArgumentException("the folded prompt was computed for " + input + ", not " + image);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Contribution build(BuildContext ctx, Operand<TFloat32> images, Backbone backbone) {
    Shape shape = Shape.of(1, input.height(), input.width(), input.channels());
    try (TFloat32 value = Tensors.floats(shape, field)) {
      return Contribution.additive(ctx.tf(), images, ctx.tf().withName("folded_prompt").constant(value));
    }
  }
}

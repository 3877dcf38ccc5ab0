package dev.vprompt.graph.prompts.baselines;

import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.graph.prompts.Contribution;
import dev.vprompt.graph.prompts.LayeredPrompt;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Shapes;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * An input-space prompt that adds a learned field independent of the image, {@code x -> x + F} (LoR-VP,
 * VP padding): F is built once and an exported model holds it as one constant.
 */
public interface FieldPrompt extends LayeredPrompt {

  /** F for images of this shape, built under {@code ctx} (already the prompt's own scope, {@link #name()}). */
  Operand<TFloat32> field(BuildContext ctx, InputSpec input);

  /** {@code x + F} with F independent of the image: built once as {@code apply(0)}. */
  @Override
  default Contribution build(BuildContext ctx, Operand<TFloat32> images, Backbone backbone) {
    return Contribution.additive(ctx, images, this::apply);
  }

  default boolean additiveConstant() {
    return true;
  }

  /** {@code images + F}, after checking the images' static shape against {@link #validate}. */
  default Operand<TFloat32> apply(BuildContext ctx, Operand<TFloat32> images) {
    Shapes.requireRank(images, 4, name());
    InputSpec input = new InputSpec(Shapes.staticDim(images, 1, name()), Shapes.staticDim(images, 2, name()),
        Shapes.staticDim(images, 3, name()));
    validate(input, null);
    BuildContext own = ctx.child(name());
    return own.tf().math.add(images, field(own, input));
  }
}

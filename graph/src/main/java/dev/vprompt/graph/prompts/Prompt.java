package dev.vprompt.graph.prompts;

import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.ops.BuildContext;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A visual prompt: learnable tensors applied to the normalised input image and, for deep prompts,
 * inside the backbone. A prompt is built once per model, by {@link #build}, which returns all it
 * contributes ({@link Contribution}): the prompted images, the hook for the backbone's blocks, and the
 * image-independent field when the prompt only adds one. The classifier, export's folding and the
 * backbones' {@code conv(x) + conv(F)} path all read that one answer. Implementations create their
 * variables under the {@code prompt} context they are given. Register a new prompt with its family
 * ({@link PromptFamily}, {@link Prompts#FAMILIES}).
 */
public interface Prompt {

  /** The registry name, e.g. {@code msvp}. */
  String name();

  /** Rejects settings that cannot work for this input and backbone, before anything is built. */
  default void validate(InputSpec input, Backbone backbone) {}

  /**
   * Builds the prompt for {@code [B, H, W, C]} normalised images and this backbone.
   *
   * @param backbone the backbone the prompt feeds; null where only input-level parts are built (a
   *     prompt that needs it for its block hook then fails)
   */
  Contribution build(BuildContext ctx, Operand<TFloat32> images, Backbone backbone);
}

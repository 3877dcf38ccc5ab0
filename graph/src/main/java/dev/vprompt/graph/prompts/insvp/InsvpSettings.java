package dev.vprompt.graph.prompts.insvp;

import java.util.List;

/**
 * InsVP's options as saved in config.json; see {@link InsVp} for their meaning and defaults.
 *
 * @param parts the parts used, or null for every part of the level
 * @param blocks the number of prompted blocks, or null for all
 * @param patchSize the patch prompter's patch, or null for the ViT's (the ViT's rule elsewhere)
 */
public record InsvpSettings(
    String level, List<String> parts, float imageWeight, float featureWeight, int promptLength, Integer blocks,
    int globalHidden, int patchHidden, int specificChannels, Integer patchSize, int dilation, float dropout) {

  public static InsvpSettings defaults() {
    return new InsvpSettings(Level.BOTH.label(), null, InsVp.DEFAULT_IMAGE_WEIGHT, InsVp.DEFAULT_FEATURE_WEIGHT,
        InsVp.DEFAULT_PROMPT_LENGTH, null, InsVp.DEFAULT_GLOBAL_HIDDEN, InsVp.DEFAULT_PATCH_HIDDEN,
        InsVp.DEFAULT_SPECIFIC_CHANNELS, null, InsVp.DEFAULT_DILATION, InsVp.DEFAULT_DROPOUT);
  }

  public InsVp create() {
    return new InsVp(Part.resolve(Level.parse(level), parts), imageWeight, featureWeight, promptLength, blocks,
        globalHidden, patchHidden, specificChannels, patchSize, dilation, dropout);
  }
}

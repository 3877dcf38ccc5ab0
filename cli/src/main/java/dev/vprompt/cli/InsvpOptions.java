package dev.vprompt.cli;

import dev.vprompt.graph.prompts.insvp.InsVp;
import dev.vprompt.core.run.InsvpSettings;
import java.util.List;
import picocli.CommandLine.Option;

/** The InsVP options (used with --prompt insvp). */
public final class InsvpOptions {

  @Option(names = "--insvp-level", paramLabel = "L", defaultValue = "both",
      description = "InsVP prompts: image (before any backbone), feature (vit-tiny blocks) or both "
          + "(default: ${DEFAULT-VALUE}; feature and both need vit-tiny).")
  String level;

  @Option(names = "--insvp-parts", paramLabel = "PART", split = ",",
      description = "InsVP parts to use, from the level's: patch, global, common, specific "
          + "(default: all of the level; Table 5's ablation: patch / patch,global / patch,global,common).")
  List<String> parts;

  @Option(names = "--insvp-bi", paramLabel = "B", defaultValue = "" + InsVp.DEFAULT_IMAGE_WEIGHT,
      description = "b_I in [0, 1]: p_I = b_I p_global + (1 - b_I) p_patch (default: ${DEFAULT-VALUE}).")
  float imageWeight;

  @Option(names = "--insvp-bf", paramLabel = "B", defaultValue = "" + InsVp.DEFAULT_FEATURE_WEIGHT,
      description = "b_F in [0, 1]: p_F = b_F p_common + (1 - b_F) p_specific (default: ${DEFAULT-VALUE}).")
  float featureWeight;

  @Option(names = "--insvp-lp", paramLabel = "N", defaultValue = "" + InsVp.DEFAULT_PROMPT_LENGTH,
      description = "L_p, feature prompt tokens per block (default: ${DEFAULT-VALUE}).")
  int promptLength;

  @Option(names = "--insvp-blocks", paramLabel = "N",
      description = "Feature prompts in the first N transformer blocks (default: all).")
  Integer blocks;

  @Option(names = "--insvp-global-hidden", paramLabel = "N", defaultValue = "" + InsVp.DEFAULT_GLOBAL_HIDDEN,
      description = "Channels between the global prompter's convolutions (default: ${DEFAULT-VALUE}).")
  int globalHidden;

  @Option(names = "--insvp-patch-hidden", paramLabel = "N", defaultValue = "" + InsVp.DEFAULT_PATCH_HIDDEN,
      description = "Units between the patch prompter's two layers (default: ${DEFAULT-VALUE}).")
  int patchHidden;

  @Option(names = "--insvp-specific-channels", paramLabel = "N",
      defaultValue = "" + InsVp.DEFAULT_SPECIFIC_CHANNELS,
      description = "Channels of the specific prompter's convolutions (default: ${DEFAULT-VALUE}).")
  int specificChannels;

  @Option(names = "--insvp-patch-size", paramLabel = "P",
      description = "Patch of the patch prompter (default: the ViT's patch; for other backbones 7 for 28x28, "
          + "4 for 32x32).")
  Integer patchSize;

  @Option(names = "--insvp-dilation", paramLabel = "D", defaultValue = "" + InsVp.DEFAULT_DILATION,
      description = "Dilation of the global prompter's 3x3 convolutions (default: ${DEFAULT-VALUE}; the "
          + "reference code uses 1).")
  int dilation;

  @Option(names = "--insvp-dropout", paramLabel = "R", defaultValue = "" + InsVp.DEFAULT_DROPOUT,
      description = "Dropout rate in the global prompter (default: ${DEFAULT-VALUE}).")
  float dropout;

  InsvpSettings settings() {
    InsvpSettings settings = new InsvpSettings(level, parts, imageWeight, featureWeight, promptLength, blocks,
        globalHidden, patchHidden, specificChannels, patchSize, dilation, dropout);
    settings.create();
    return settings;
  }
}

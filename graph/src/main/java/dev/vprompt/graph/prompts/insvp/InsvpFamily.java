package dev.vprompt.graph.prompts.insvp;

import dev.vprompt.graph.prompts.Prompt;
import dev.vprompt.graph.prompts.PromptFamily;
import dev.vprompt.graph.prompts.PromptOption;
import java.util.List;

/** InsVP (one prompt, {@code insvp}): its options and settings; see {@link InsVp}. */
public final class InsvpFamily implements PromptFamily<InsvpSettings> {

  public static final InsvpFamily INSTANCE = new InsvpFamily();

  private static final List<PromptOption> OPTIONS = List.of(
      new PromptOption("insvp-level", "L", String.class, "both",
          "InsVP prompts: image (before any backbone), feature (vit-tiny blocks) or both "
              + "(default: ${DEFAULT-VALUE}; feature and both need vit-tiny)."),
      new PromptOption("insvp-parts", "PART", List.class, null,
          "InsVP parts to use, from the level's: patch, global, common, specific "
              + "(default: all of the level; Table 5's ablation: patch / patch,global / patch,global,common)."),
      new PromptOption("insvp-bi", "B", Float.class, "" + InsVp.DEFAULT_IMAGE_WEIGHT,
          "b_I in [0, 1]: p_I = b_I p_global + (1 - b_I) p_patch (default: ${DEFAULT-VALUE})."),
      new PromptOption("insvp-bf", "B", Float.class, "" + InsVp.DEFAULT_FEATURE_WEIGHT,
          "b_F in [0, 1]: p_F = b_F p_common + (1 - b_F) p_specific (default: ${DEFAULT-VALUE})."),
      new PromptOption("insvp-lp", "N", Integer.class, "" + InsVp.DEFAULT_PROMPT_LENGTH,
          "L_p, feature prompt tokens per block (default: ${DEFAULT-VALUE})."),
      new PromptOption("insvp-blocks", "N", Integer.class, null,
          "Feature prompts in the first N transformer blocks (default: all)."),
      new PromptOption("insvp-global-hidden", "N", Integer.class, "" + InsVp.DEFAULT_GLOBAL_HIDDEN,
          "Channels between the global prompter's convolutions (default: ${DEFAULT-VALUE})."),
      new PromptOption("insvp-patch-hidden", "N", Integer.class, "" + InsVp.DEFAULT_PATCH_HIDDEN,
          "Units between the patch prompter's two layers (default: ${DEFAULT-VALUE})."),
      new PromptOption("insvp-specific-channels", "N", Integer.class, "" + InsVp.DEFAULT_SPECIFIC_CHANNELS,
          "Channels of the specific prompter's convolutions (default: ${DEFAULT-VALUE})."),
      new PromptOption("insvp-patch-size", "P", Integer.class, null,
          "Patch of the patch prompter (default: the ViT's patch; for other backbones 7 for 28x28, "
              + "4 for 32x32)."),
      new PromptOption("insvp-dilation", "D", Integer.class, "" + InsVp.DEFAULT_DILATION,
          "Dilation of the global prompter's 3x3 convolutions (default: ${DEFAULT-VALUE}; the "
              + "reference code uses 1)."),
      new PromptOption("insvp-dropout", "R", Float.class, "" + InsVp.DEFAULT_DROPOUT,
          "Dropout rate in the global prompter (default: ${DEFAULT-VALUE})."));

  private InsvpFamily() {}

  @Override
  public List<String> names() {
    return List.of(InsVp.NAME);
  }

  @Override
  public String settingsKey() {
    return "insvp";
  }

  @Override
  public Class<InsvpSettings> settingsType() {
    return InsvpSettings.class;
  }

  @Override
  public InsvpSettings defaults() {
    return InsvpSettings.defaults();
  }

  @Override
  public List<PromptOption> options() {
    return OPTIONS;
  }

  @Override
  public InsvpSettings settings(PromptOption.Values v) {
    return new InsvpSettings(v.string("insvp-level"), v.list("insvp-parts"), v.single("insvp-bi"),
        v.single("insvp-bf"), v.integer("insvp-lp"), v.optionalInteger("insvp-blocks"),
        v.integer("insvp-global-hidden"), v.integer("insvp-patch-hidden"), v.integer("insvp-specific-channels"),
        v.optionalInteger("insvp-patch-size"), v.integer("insvp-dilation"), v.single("insvp-dropout"));
  }

  @Override
  public Prompt create(String name, InsvpSettings settings, float[] normStd) {
    return settings.create();
  }

  @Override
  public String label(String name, InsvpSettings s) {
    return name + "[" + (s.parts() == null ? s.level() : String.join("+", s.parts())) + "]";
  }
}

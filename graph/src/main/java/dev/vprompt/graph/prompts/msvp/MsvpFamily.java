package dev.vprompt.graph.prompts.msvp;

import dev.vprompt.graph.prompts.Prompt;
import dev.vprompt.graph.prompts.PromptFamily;
import dev.vprompt.graph.prompts.PromptOption;
import java.util.List;

/** MSVP (one prompt, {@code msvp}): its options and settings; see {@link Msvp}. */
public final class MsvpFamily implements PromptFamily<MsvpSettings> {

  public static final MsvpFamily INSTANCE = new MsvpFamily();

  private static final List<PromptOption> OPTIONS = List.of(
      new PromptOption("msvp-scales", "S", String.class, "full",
          "MSVP prompt maps: global, global+mid, full (default: ${DEFAULT-VALUE})."),
      new PromptOption("msvp-fusion", "F", String.class, "add",
          "MSVP fusion with the image: add, concat, gated (default: ${DEFAULT-VALUE})."),
      new PromptOption("msvp-mid", "SM", Integer.class, "" + Msvp.DEFAULT_MID,
          "Side of the mid-scale prompt map (default: ${DEFAULT-VALUE})."),
      new PromptOption("msvp-local", "SL", Integer.class, "" + Msvp.DEFAULT_LOCAL,
          "Side of the local prompt map (default: ${DEFAULT-VALUE}; the paper's method section suggests 7 for 28x28)."),
      new PromptOption("msvp-init-std", "STD", Float.class, "" + Msvp.DEFAULT_INIT_STD,
          "Std of the prompt maps' normal initialisation (default: ${DEFAULT-VALUE})."));

  private MsvpFamily() {}

  @Override
  public List<String> names() {
    return List.of(Msvp.NAME);
  }

  @Override
  public String settingsKey() {
    return "msvp";
  }

  @Override
  public Class<MsvpSettings> settingsType() {
    return MsvpSettings.class;
  }

  @Override
  public MsvpSettings defaults() {
    return MsvpSettings.defaults();
  }

  @Override
  public List<PromptOption> options() {
    return OPTIONS;
  }

  @Override
  public MsvpSettings settings(PromptOption.Values v) {
    return new MsvpSettings(v.string("msvp-scales"), v.string("msvp-fusion"), v.integer("msvp-mid"),
        v.integer("msvp-local"), v.single("msvp-init-std"));
  }

  @Override
  public Prompt create(String name, MsvpSettings settings, float[] normStd) {
    return settings.create();
  }

  @Override
  public String label(String name, MsvpSettings s) {
    return name + "[" + s.scales() + "," + s.fusion() + "]";
  }
}

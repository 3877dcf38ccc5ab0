package dev.vprompt.cli;

import dev.vprompt.graph.prompts.Msvp;
import dev.vprompt.core.run.MsvpSettings;
import picocli.CommandLine.Option;

/** The MSVP options (used with --prompt msvp). */
public final class MsvpOptions {

  @Option(names = "--msvp-scales", paramLabel = "S", defaultValue = "full",
      description = "MSVP prompt maps: global, global+mid, full (default: ${DEFAULT-VALUE}).")
  String scales;

  @Option(names = "--msvp-fusion", paramLabel = "F", defaultValue = "add",
      description = "MSVP fusion with the image: add, concat, gated (default: ${DEFAULT-VALUE}).")
  String fusion;

  @Option(names = "--msvp-mid", paramLabel = "SM", defaultValue = "" + Msvp.DEFAULT_MID,
      description = "Side of the mid-scale prompt map (default: ${DEFAULT-VALUE}).")
  int mid;

  @Option(names = "--msvp-local", paramLabel = "SL", defaultValue = "" + Msvp.DEFAULT_LOCAL,
      description = "Side of the local prompt map (default: ${DEFAULT-VALUE}; the paper's method section suggests 7 for 28x28).")
  int local;

  @Option(names = "--msvp-init-std", paramLabel = "STD", defaultValue = "" + Msvp.DEFAULT_INIT_STD,
      description = "Std of the prompt maps' normal initialisation (default: ${DEFAULT-VALUE}).")
  float initStd;

  MsvpSettings settings() {
    MsvpSettings settings = new MsvpSettings(scales, fusion, mid, local, initStd);
    settings.create();
    return settings;
  }
}

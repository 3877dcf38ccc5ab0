package dev.vprompt.graph.prompts.msvp;


/** MSVP's options as saved in config.json; see {@link Msvp} for their meaning and defaults. */
public record MsvpSettings(String scales, String fusion, int mid, int local, float initStd) {

  public static MsvpSettings defaults() {
    return new MsvpSettings(Msvp.Scales.FULL.label(), Msvp.Fusion.ADD.label(), Msvp.DEFAULT_MID, Msvp.DEFAULT_LOCAL,
        Msvp.DEFAULT_INIT_STD);
  }

  public Msvp create() {
    return new Msvp(Msvp.Scales.parse(scales), Msvp.Fusion.parse(fusion), mid, local, initStd);
  }
}

package dev.vprompt.graph.prompts;

import dev.vprompt.graph.prompts.insvp.InsVp;
import java.util.List;

/** The prompt registry: names to prompts, failing on an unknown name with the list of known ones. */
public final class Prompts {

  public static final List<String> NAMES = List.of(NoPrompt.NAME, Msvp.NAME, InsVp.NAME,
      Lotep.CP_NAME, Lotep.TK_NAME, GroupedVp.NAME, GroupedVp.LOR_NAME, DeepLorVp.NAME, LorVp.NAME, VpPad.NAME);

  private Prompts() {}

  /**
   * @param msvp the MSVP settings, used when {@code name} is {@code msvp}
   */
  public static Prompt create(String name, Msvp msvp) {
    return switch (name == null ? "" : name) {
      case NoPrompt.NAME -> new NoPrompt();
      case Msvp.NAME -> msvp != null ? msvp : Msvp.defaults();
      case InsVp.NAME -> InsVp.defaults();
      case Lotep.CP_NAME, Lotep.TK_NAME, GroupedVp.NAME, GroupedVp.LOR_NAME, DeepLorVp.NAME, LorVp.NAME, VpPad.NAME ->
          LotepFamily.defaults(name);
      default -> throw new IllegalArgumentException(
          "unknown prompt '" + name + "'; known: " + String.join(", ", NAMES));
    };
  }
}

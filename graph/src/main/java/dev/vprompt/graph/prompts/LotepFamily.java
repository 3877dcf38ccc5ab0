package dev.vprompt.graph.prompts;

import java.util.List;

/** LoTeP's prompts and the baselines lotep.txt compares them with, by registry name. */
public final class LotepFamily {

  public static final List<String> NAMES = List.of(
      Lotep.CP_NAME, Lotep.TK_NAME, GroupedVp.NAME, GroupedVp.LOR_NAME, DeepLorVp.NAME, LorVp.NAME, VpPad.NAME);

  private LotepFamily() {}

  public static boolean contains(String name) {
    return NAMES.contains(name);
  }

  /** The named prompt with its defaults. */
  public static Prompt defaults(String name) {
    return switch (name == null ? "" : name) {
      case Lotep.CP_NAME -> Lotep.defaults(Lotep.Variant.CP);
      case Lotep.TK_NAME -> Lotep.defaults(Lotep.Variant.TUCKER);
      case GroupedVp.NAME -> GroupedVp.defaults();
      case GroupedVp.LOR_NAME -> GroupedVp.lorDefaults();
      case DeepLorVp.NAME -> DeepLorVp.defaults();
      case LorVp.NAME -> LorVp.defaults();
      case VpPad.NAME -> VpPad.defaults();
      default -> throw new IllegalArgumentException("'" + name + "' is not a LoTeP-family prompt; known: "
          + String.join(", ", NAMES));
    };
  }
}

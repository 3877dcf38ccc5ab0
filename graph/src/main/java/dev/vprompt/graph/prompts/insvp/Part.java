package dev.vprompt.graph.prompts.insvp;

import dev.vprompt.graph.InvalidOptionException;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The four prompts of InsVP, which Table 5's ablation switches on one at a time. */
public enum Part {
  /** {@code p_l}: the patch prompter G_l (image level). */
  PATCH(true),
  /** {@code p_g}: the global prompter G_g (image level). */
  GLOBAL(true),
  /** {@code p_c}: a learnable common prompt per transformer block (feature level). */
  COMMON(false),
  /** {@code p_s}: the specific prompter G_s, computed from the image (feature level). */
  SPECIFIC(false);

  private final boolean imageLevel;

  Part(boolean imageLevel) {
    this.imageLevel = imageLevel;
  }

  public boolean imageLevel() {
    return imageLevel;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Part parse(String text) {
    for (Part part : values()) {
      if (part.label().equalsIgnoreCase(text == null ? "" : text.trim())) {
        return part;
      }
    }
    throw new IllegalArgumentException(
        "unknown InsVP part '" + text + "'; known: patch, global, common, specific");
  }

  /**
   * The parts of a level, or the listed ones, which must then belong to the level.
   *
   * @param listed null or empty for every part of the level
   */
  public static Set<Part> resolve(Level level, List<String> listed) {
    if (listed == null || listed.isEmpty()) {
      return level.parts();
    }
    Set<Part> parts = EnumSet.noneOf(Part.class);
    for (String text : listed) {
      Part part = parse(text);
      if (!level.parts().contains(part)) {
        throw new InvalidOptionException("insvp-parts", "InsVP part '" + part.label() + "' is not in --insvp-level "
            + level.label() + " (which has " + labels(level.parts()) + ")");
      }
      parts.add(part);
    }
    return parts;
  }

  public static String labels(Set<Part> parts) {
    return String.join(",", parts.stream().map(Part::label).toList());
  }
}

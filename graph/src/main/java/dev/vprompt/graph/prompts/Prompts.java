package dev.vprompt.graph.prompts;

import dev.vprompt.graph.prompts.baselines.NoPromptFamily;
import dev.vprompt.graph.prompts.insvp.InsvpFamily;
import dev.vprompt.graph.prompts.lotep.LotepFamily;
import dev.vprompt.graph.prompts.msvp.MsvpFamily;
import java.util.List;

/** The prompt registry: the families, and their prompts by name, failing on an unknown name with the list of known ones. */
public final class Prompts {

  /** Every prompt family, in the order their names are listed; adding a family is one line here. */
  public static final List<PromptFamily<?>> FAMILIES = List.of(
      NoPromptFamily.INSTANCE,
      MsvpFamily.INSTANCE,
      InsvpFamily.INSTANCE,
      LotepFamily.INSTANCE);

  public static final List<String> NAMES = FAMILIES.stream().flatMap(f -> f.names().stream()).toList();

  private Prompts() {}

  /** The family of the named prompt. */
  public static PromptFamily<?> family(String name) {
    for (PromptFamily<?> family : FAMILIES) {
      if (family.names().contains(name)) {
        return family;
      }
    }
    throw new IllegalArgumentException("unknown prompt '" + name + "'; known: " + String.join(", ", NAMES));
  }

  /** The named prompt with its family's defaults. */
  public static Prompt create(String name) {
    return PromptSettings.of(name).create();
  }
}

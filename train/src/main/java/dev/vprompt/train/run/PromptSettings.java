package dev.vprompt.train.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vprompt.graph.prompts.DeepLorVp;
import dev.vprompt.graph.prompts.GroupedVp;
import dev.vprompt.graph.prompts.LorVp;
import dev.vprompt.graph.prompts.Lotep;
import dev.vprompt.graph.prompts.LotepFamily;
import dev.vprompt.graph.prompts.Msvp;
import dev.vprompt.graph.prompts.NoPrompt;
import dev.vprompt.graph.prompts.Prompt;
import dev.vprompt.graph.prompts.Prompts;
import dev.vprompt.graph.prompts.VpPad;
import dev.vprompt.graph.prompts.insvp.InsVp;

/**
 * A prompt and its options as saved in config.json: the name, and the settings of that prompt's
 * family (the other families' are null and not written).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PromptSettings(String name, MsvpSettings msvp, InsvpSettings insvp, LotepSettings lotep) {

  /** The named prompt with its family's defaults. */
  public static PromptSettings of(String name) {
    return new PromptSettings(name, Msvp.NAME.equals(name) ? MsvpSettings.defaults() : null,
        InsVp.NAME.equals(name) ? InsvpSettings.defaults() : null,
        LotepFamily.contains(name) ? LotepSettings.defaults() : null);
  }

  public Prompt create() {
    return create(null);
  }

  /** @param normStd the run's normalisation std (lor-vp adds its prompt before normalising), or null */
  public Prompt create(float[] normStd) {
    String known = String.join(", ", Prompts.NAMES);
    return switch (name == null ? "" : name) {
      case NoPrompt.NAME -> new NoPrompt();
      case Msvp.NAME -> require(msvp, "msvp").create();
      case InsVp.NAME -> require(insvp, "insvp").create();
      case Lotep.CP_NAME, Lotep.TK_NAME, GroupedVp.NAME, GroupedVp.LOR_NAME, DeepLorVp.NAME, LorVp.NAME, VpPad.NAME ->
          require(lotep, "lotep").create(name, normStd);
      default -> throw new IllegalArgumentException("unknown prompt '" + name + "'; known: " + known);
    };
  }

  private static <T> T require(T settings, String family) {
    if (settings == null) {
      throw new IllegalArgumentException("the " + family + " prompt needs its settings");
    }
    return settings;
  }

  private static String groupsLabel(int groups) {
    return groups == GroupedVp.AUTO_GROUPS ? "auto" : Integer.toString(groups);
  }

  /** A short label for tables: {@code msvp[full,add]} or {@code none}. */
  public String label() {
    if (msvp != null && Msvp.NAME.equals(name)) {
      return name + "[" + msvp.scales() + "," + msvp.fusion() + "]";
    }
    if (insvp != null && InsVp.NAME.equals(name)) {
      return name + "[" + (insvp.parts() == null ? insvp.level() : String.join("+", insvp.parts())) + "]";
    }
    if (lotep != null) {
      return name + switch (name) {
        case Lotep.CP_NAME, Lotep.TK_NAME -> "[r0=" + lotep.rank0() + ",rho=" + lotep.depthRatio() + ","
            + lotep.schedule() + "]";
        case GroupedVp.NAME -> "[g=" + groupsLabel(lotep.groups()) + ",rho=" + lotep.depthRatio() + "]";
        case GroupedVp.LOR_NAME -> "[g=" + groupsLabel(lotep.groups()) + ",r=" + lotep.lorRank() + ",rho="
            + lotep.depthRatio() + "]";
        case DeepLorVp.NAME -> "[r=" + lotep.lorRank() + ",rho=" + lotep.depthRatio() + "]";
        case LorVp.NAME -> "[r=" + lotep.lorRank() + "]";
        case VpPad.NAME -> "[p=" + lotep.padWidth() + "]";
        default -> "";
      };
    }
    return name;
  }
}

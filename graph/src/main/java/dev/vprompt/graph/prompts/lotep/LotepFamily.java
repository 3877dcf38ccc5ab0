package dev.vprompt.graph.prompts.lotep;

import dev.vprompt.graph.prompts.Prompt;
import dev.vprompt.graph.prompts.PromptDepth;
import dev.vprompt.graph.prompts.PromptFamily;
import dev.vprompt.graph.prompts.PromptOption;
import dev.vprompt.graph.prompts.baselines.DeepLorVp;
import dev.vprompt.graph.prompts.baselines.GroupedVp;
import dev.vprompt.graph.prompts.baselines.LorVp;
import dev.vprompt.graph.prompts.baselines.VpPad;
import java.util.List;

/**
 * LoTeP's prompts ({@code lotep-cp}, {@code lotep-tk}) and the baselines the LoTeP paper compares them
 * with ({@code grouped-vp}, {@code deep-lor-vp}, {@code lor-vp}, {@code vp-pad}, in the baselines
 * package): one family because config.json has always kept their options in one {@code lotep} object,
 * each prompt reading the ones it uses.
 */
public final class LotepFamily implements PromptFamily<LotepSettings> {

  public static final LotepFamily INSTANCE = new LotepFamily();

  public static final List<String> NAMES = List.of(
      Lotep.CP_NAME, Lotep.TK_NAME, GroupedVp.NAME, DeepLorVp.NAME, LorVp.NAME, VpPad.NAME);

  private static final List<PromptOption> OPTIONS = List.of(
      new PromptOption("rank0", "R0", Integer.class, "" + Lotep.DEFAULT_RANK0,
          "lotep-*: rank r0 of the first prompted block (default: ${DEFAULT-VALUE}, the paper's)."),
      new PromptOption("depth-ratio", "RHO", Double.class, "" + PromptDepth.DEFAULT_RATIO,
          "lotep-*, grouped-vp, deep-lor-vp: prompt blocks 0..floor(L*RHO)-1 of the L blocks, RHO in (0, 1] "
              + "(default: ${DEFAULT-VALUE}; the paper gives none)."),
      new PromptOption("rank-schedule", "S", String.class, "cosine",
          "lotep-*: rank per block: cosine (eq. 8), linear, constant (default: ${DEFAULT-VALUE})."),
      new PromptOption("lotep-init-std", "STD", Float.class, "" + Lotep.DEFAULT_INIT_STD,
          "lotep-*: std of the normal init of the spatial (and Tucker core) factors; the channel factor "
              + "starts at zero (default: ${DEFAULT-VALUE})."),
      new PromptOption("groups", "G", Integer.class, "" + GroupedVp.DEFAULT_GROUPS,
          "grouped-vp: channel groups sharing one map; must divide every prompted block's channels "
              + "(default: ${DEFAULT-VALUE})."),
      new PromptOption("lor-rank", "R", Integer.class, "" + LorVp.DEFAULT_RANK,
          "lor-vp, deep-lor-vp: rank of each channel's B[H,R] A[R,W] (default: ${DEFAULT-VALUE})."),
      new PromptOption("pad-width", "P", Integer.class, "" + VpPad.DEFAULT_WIDTH,
          "vp-pad: width of the learnable frame in pixels (default: ${DEFAULT-VALUE}; VP's 30 of 224 "
              + "scaled to 32x32)."));

  private LotepFamily() {}

  /** The named prompt with its defaults. */
  public static Prompt defaults(String name) {
    return INSTANCE.create(name, LotepSettings.defaults(), null);
  }

  @Override
  public List<String> names() {
    return NAMES;
  }

  @Override
  public String settingsKey() {
    return "lotep";
  }

  @Override
  public Class<LotepSettings> settingsType() {
    return LotepSettings.class;
  }

  @Override
  public LotepSettings defaults() {
    return LotepSettings.defaults();
  }

  @Override
  public List<PromptOption> options() {
    return OPTIONS;
  }

  @Override
  public LotepSettings settings(PromptOption.Values v) {
    return new LotepSettings(v.integer("rank0"), v.decimal("depth-ratio"), v.string("rank-schedule"),
        v.single("lotep-init-std"), v.integer("groups"), v.integer("lor-rank"), v.integer("pad-width"));
  }

  @Override
  public Prompt create(String name, LotepSettings settings, float[] normStd) {
    return settings.create(name, normStd);
  }

  @Override
  public String label(String name, LotepSettings s) {
    return name + switch (name) {
      case Lotep.CP_NAME, Lotep.TK_NAME -> "[r0=" + s.rank0() + ",rho=" + s.depthRatio() + "," + s.schedule() + "]";
      case GroupedVp.NAME -> "[g=" + s.groups() + ",rho=" + s.depthRatio() + "]";
      case DeepLorVp.NAME -> "[r=" + s.lorRank() + ",rho=" + s.depthRatio() + "]";
      case LorVp.NAME -> "[r=" + s.lorRank() + "]";
      case VpPad.NAME -> "[p=" + s.padWidth() + "]";
      default -> "";
    };
  }
}

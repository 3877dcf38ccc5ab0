package dev.vprompt.graph.prompts.lotep;

import dev.vprompt.graph.prompts.baselines.DeepLorVp;
import dev.vprompt.graph.prompts.baselines.GroupedVp;
import dev.vprompt.graph.prompts.baselines.LorVp;
import dev.vprompt.graph.prompts.Prompt;
import dev.vprompt.graph.prompts.PromptDepth;
import dev.vprompt.graph.prompts.baselines.VpPad;

/**
 * The options of LoTeP's prompts and their baselines as saved in config.json (each prompt reads the
 * ones it uses); see {@link Lotep}, {@link GroupedVp}, {@link DeepLorVp}, {@link LorVp}, {@link VpPad}.
 *
 * @param rank0 lotep-*: r0
 * @param depthRatio lotep-*, grouped-vp, deep-lor-vp: rho
 * @param schedule lotep-*: cosine, linear or constant
 * @param initStd lotep-*: std of the random factors
 * @param groups grouped-vp: g
 * @param lorRank lor-vp, deep-lor-vp: r
 * @param padWidth vp-pad: p
 */
public record LotepSettings(
    int rank0, double depthRatio, String schedule, float initStd, int groups, int lorRank, int padWidth) {

  public static LotepSettings defaults() {
    return new LotepSettings(Lotep.DEFAULT_RANK0, PromptDepth.DEFAULT_RATIO, RankSchedule.COSINE.label(),
        Lotep.DEFAULT_INIT_STD, GroupedVp.DEFAULT_GROUPS, LorVp.DEFAULT_RANK, VpPad.DEFAULT_WIDTH);
  }

  /**
   * @param normStd the model's per-channel normalisation std, which lor-vp divides its prompt by (it is
   *     added to the [0, 1] image); null where there is none (parameter counts)
   */
  public Prompt create(String name, float[] normStd) {
    return switch (name == null ? "" : name) {
      case Lotep.CP_NAME -> new Lotep(Lotep.Variant.CP, rank0, depthRatio, RankSchedule.parse(schedule), initStd);
      case Lotep.TK_NAME -> new Lotep(Lotep.Variant.TUCKER, rank0, depthRatio, RankSchedule.parse(schedule), initStd);
      case GroupedVp.NAME -> new GroupedVp(groups, depthRatio);
      case DeepLorVp.NAME -> new DeepLorVp(lorRank, depthRatio);
      case LorVp.NAME -> new LorVp(lorRank, normStd);
      case VpPad.NAME -> new VpPad(padWidth);
      default -> throw new IllegalArgumentException("'" + name + "' is not a LoTeP-family prompt; known: "
          + String.join(", ", LotepFamily.NAMES));
    };
  }
}

package dev.vprompt.cli;

import dev.vprompt.graph.prompts.GroupedVp;
import dev.vprompt.graph.prompts.LorVp;
import dev.vprompt.graph.prompts.Lotep;
import dev.vprompt.graph.prompts.LotepFamily;
import dev.vprompt.graph.prompts.PromptDepth;
import dev.vprompt.graph.prompts.VpPad;
import dev.vprompt.train.run.LotepSettings;
import picocli.CommandLine.Option;

/** The options of LoTeP (--prompt lotep-cp, lotep-tk) and of its baselines (grouped-vp, deep-lor-vp, lor-vp, vp-pad). */
public final class LotepOptions {

  @Option(names = "--rank0", paramLabel = "R0", defaultValue = "" + Lotep.DEFAULT_RANK0,
      description = "lotep-*: rank r0 of the first prompted block (default: ${DEFAULT-VALUE}, the paper's).")
  int rank0;

  @Option(names = "--depth-ratio", paramLabel = "RHO", defaultValue = "" + PromptDepth.DEFAULT_RATIO,
      description = "lotep-*, grouped-vp, deep-lor-vp: prompt blocks 0..floor(L*RHO)-1 of the L blocks, RHO in (0, 1] "
          + "(default: ${DEFAULT-VALUE}; the paper gives none).")
  double depthRatio;

  @Option(names = "--rank-schedule", paramLabel = "S", defaultValue = "cosine",
      description = "lotep-*: rank per block: cosine (eq. 8), linear, constant (default: ${DEFAULT-VALUE}).")
  String schedule;

  @Option(names = "--lotep-init-std", paramLabel = "STD", defaultValue = "" + Lotep.DEFAULT_INIT_STD,
      description = "lotep-*: std of the normal init of the spatial (and Tucker core) factors; the channel factor "
          + "starts at zero (default: ${DEFAULT-VALUE}, N(0, 1): LoR-VP's code's 'random' init, LoTeP following "
          + "LoR-VP's setup; 0.02 was vprompt's earlier default).")
  float initStd;

  @Option(names = "--groups", paramLabel = "G", defaultValue = "" + GroupedVp.DEFAULT_GROUPS,
      description = "grouped-vp, grouped-lor-vp: channel groups sharing one map; must divide every prompted "
          + "block's channels; 0: per block the largest divisor of its channels up to 8, which works on every "
          + "backbone (default: ${DEFAULT-VALUE}).")
  int groups;

  @Option(names = "--lor-rank", paramLabel = "R", defaultValue = "" + LorVp.DEFAULT_RANK,
      description = "lor-vp, deep-lor-vp, grouped-lor-vp: rank of each channel's (group's) B[H,R] A[R,W] "
          + "(default: ${DEFAULT-VALUE}).")
  int lorRank;

  @Option(names = "--pad-width", paramLabel = "P", defaultValue = "" + VpPad.DEFAULT_WIDTH,
      description = "vp-pad: width of the learnable frame in pixels (default: ${DEFAULT-VALUE}; VP's 30 of 224 "
          + "scaled to 32x32).")
  int padWidth;

  /** The settings when {@code prompt} is one of this family, else null; fails on bad values. */
  LotepSettings settingsFor(String prompt) {
    if (!LotepFamily.contains(prompt)) {
      return null;
    }
    LotepSettings settings = new LotepSettings(rank0, depthRatio, schedule, initStd, groups, lorRank, padWidth);
    settings.create(prompt, null);
    return settings;
  }
}

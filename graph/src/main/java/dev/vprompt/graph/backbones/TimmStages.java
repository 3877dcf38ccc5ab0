package dev.vprompt.graph.backbones;

import dev.vprompt.ops.weights.WeightMapping;
import java.util.List;

/**
 * The names of timm's staged backbones (ConvNeXt, Swin): timm's {@code <stages>.<i>} is vprompt's {@code
 * backbone.stage<i+1>}, its {@code .downsample} (every stage but the first) vprompt's {@code .downsample},
 * its {@code .blocks.<j>} vprompt's {@code .block<j+1>}; and the pieces their mappings (and ViT's) share.
 */
final class TimmStages {
  private TimmStages() {}

  /** Maps one layer: vprompt's name {@code to}, timm's {@code from}. */
  @FunctionalInterface
  interface Layer {
    void map(WeightMapping.Builder b, String to, String from);
  }

  static void map(WeightMapping.Builder b, String timmStages, List<Integer> depths, Layer downsample, Layer block) {
    for (int s = 0; s < depths.size(); s++) {
      String stage = "backbone.stage" + (s + 1);
      String from = timmStages + "." + s;
      if (s > 0) {
        downsample.map(b, stage + ".downsample", from + ".downsample");
      }
      for (int j = 0; j < depths.get(s); j++) {
        block.map(b, stage + ".block" + (j + 1), from + ".blocks." + j);
      }
    }
  }

  /** timm's {@code Mlp}: {@code from.mlp.fc1} and {@code .fc2} to {@code to.mlp.fc1} and {@code .fc2}. */
  static WeightMapping.Builder mlp(WeightMapping.Builder b, String to, String from) {
    return b.linear(to + ".mlp.fc1", from + ".mlp.fc1").linear(to + ".mlp.fc2", from + ".mlp.fc2");
  }

  /** With {@code head}, timm's classifier {@code head.fc} fills the classifier's {@code head}; the mapping. */
  static WeightMapping withHead(WeightMapping.Builder b, boolean head) {
    if (head) {
      b.linear("head", "head.fc");
    }
    return b.build();
  }
}

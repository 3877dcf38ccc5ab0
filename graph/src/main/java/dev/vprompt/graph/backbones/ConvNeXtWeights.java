package dev.vprompt.graph.backbones;

import dev.vprompt.ops.weights.Conversion;
import dev.vprompt.ops.weights.WeightMapping;

/**
 * timm's {@code ConvNeXt} state-dict names ({@code stages.<i>.blocks.<j>.conv_dw.weight}, ...) to the
 * variables of {@link ConvNeXt} ({@code backbone.stage<i+1>.block<j+1>.conv_dw.kernel}).
 */
public final class ConvNeXtWeights {
  private ConvNeXtWeights() {}

  /** @param head whether timm's {@code head.fc} fills the classifier's {@code head} */
  public static WeightMapping timm(ConvNeXt convnext, boolean head) {
    WeightMapping.Builder b = WeightMapping.builder()
        .inputConvWithBias("backbone.stem.conv", "stem.0")
        .layerNorm("backbone.stem.norm", "stem.1");
    TimmStages.map(b, "stages", convnext.depths(),
        (map, to, from) -> map.layerNorm(to + ".norm", from + ".0").convWithBias(to + ".conv", from + ".1"),
        (map, to, from) -> {
          map.map(to + ".conv_dw.kernel", from + ".conv_dw.weight", Conversion.depthwise())
              .copy(to + ".conv_dw.bias", from + ".conv_dw.bias")
              .layerNorm(to + ".norm", from + ".norm");
          TimmStages.mlp(map, to, from).copy(to + ".layer_scale", from + ".gamma");
        });
    return TimmStages.withHead(b.layerNorm("backbone.head_norm", "head.norm"), head);
  }
}

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
        // a grey model sums the RGB kernel over its input channels (timm's adapt_input_conv)
        .map("backbone.stem.conv.kernel", "stem.0.weight", Conversion.convAdaptingInputChannels())
        .copy("backbone.stem.conv.bias", "stem.0.bias")
        .layerNorm("backbone.stem.norm", "stem.1");
    for (int s = 0; s < 4; s++) {
      String stage = "backbone.stage" + (s + 1);
      String from = "stages." + s;
      if (s > 0) {
        b.layerNorm(stage + ".downsample.norm", from + ".downsample.0")
            .convWithBias(stage + ".downsample.conv", from + ".downsample.1");
      }
      for (int j = 0; j < convnext.depths().get(s); j++) {
        String to = stage + ".block" + (j + 1);
        String block = from + ".blocks." + j;
        b.map(to + ".conv_dw.kernel", block + ".conv_dw.weight", Conversion.depthwise())
            .copy(to + ".conv_dw.bias", block + ".conv_dw.bias")
            .layerNorm(to + ".norm", block + ".norm")
            .linear(to + ".mlp.fc1", block + ".mlp.fc1")
            .linear(to + ".mlp.fc2", block + ".mlp.fc2")
            .copy(to + ".layer_scale", block + ".gamma");
      }
    }
    b.layerNorm("backbone.head_norm", "head.norm");
    if (head) {
      b.linear("head", "head.fc");
    }
    return b.build();
  }
}

package dev.vprompt.graph.backbones;

import dev.vprompt.ops.weights.Conversion;
import dev.vprompt.ops.weights.WeightMapping;

/**
 * timm's {@code SwinTransformer} state-dict names ({@code layers.<i>.blocks.<j>.attn.qkv.weight}, ...) to
 * the variables of {@link SwinTransformer} ({@code backbone.stage<i+1>.block<j+1>.attn.qkv.kernel}).
 */
public final class SwinWeights {
  private SwinWeights() {}

  /**
   * @param head whether timm's classifier {@code head.fc} fills the classifier's {@code head} (false when a
   *     new head is trained: the file's head is then left over, as the caller decides)
   */
  public static WeightMapping timm(SwinTransformer swin, boolean head) {
    WeightMapping.Builder b = WeightMapping.builder()
        // non-persistent buffers in timm >= 0.9; older files carry them and timm's checkpoint filter drops them
        .ignore(".*\\.attn\\.relative_position_index", "a constant recomputed from the window size")
        .ignore(".*\\.attn_mask", "a constant recomputed from the grid, window and shift");
    // a grey model sums the RGB kernel over its input channels (timm's adapt_input_conv)
    b.map("backbone.patch_embed.proj.kernel", "patch_embed.proj.weight", Conversion.convAdaptingInputChannels())
        .copy("backbone.patch_embed.proj.bias", "patch_embed.proj.bias")
        .layerNorm("backbone.patch_embed.norm", "patch_embed.norm");
    for (int s = 0; s < swin.depths().size(); s++) {
      String stage = "backbone.stage" + (s + 1);
      String layer = "layers." + s;
      if (s > 0) {
        b.layerNorm(stage + ".downsample.norm", layer + ".downsample.norm")
            .map(stage + ".downsample.reduction.kernel", layer + ".downsample.reduction.weight",
                Conversion.linear());
      }
      for (int j = 0; j < swin.depths().get(s); j++) {
        String to = stage + ".block" + (j + 1);
        String from = layer + ".blocks." + j;
        b.layerNorm(to + ".norm1", from + ".norm1")
            .linear(to + ".attn.qkv", from + ".attn.qkv")
            .copy(to + ".attn.relative_position_bias_table", from + ".attn.relative_position_bias_table")
            .linear(to + ".attn.proj", from + ".attn.proj")
            .layerNorm(to + ".norm2", from + ".norm2")
            .linear(to + ".mlp.fc1", from + ".mlp.fc1")
            .linear(to + ".mlp.fc2", from + ".mlp.fc2");
      }
    }
    b.layerNorm("backbone.norm", "norm");
    if (head) {
      b.linear("head", "head.fc");
    }
    return b.build();
  }
}

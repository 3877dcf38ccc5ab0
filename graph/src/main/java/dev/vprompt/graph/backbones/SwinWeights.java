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
    b.inputConvWithBias("backbone.patch_embed.proj", "patch_embed.proj")
        .layerNorm("backbone.patch_embed.norm", "patch_embed.norm");
    TimmStages.map(b, "layers", swin.depths(),
        (map, to, from) -> map.layerNorm(to + ".norm", from + ".norm")
            .map(to + ".reduction.kernel", from + ".reduction.weight", Conversion.linear()),
        (map, to, from) -> {
          map.layerNorm(to + ".norm1", from + ".norm1")
              .linear(to + ".attn.qkv", from + ".attn.qkv")
              .copy(to + ".attn.relative_position_bias_table", from + ".attn.relative_position_bias_table")
              .linear(to + ".attn.proj", from + ".attn.proj")
              .layerNorm(to + ".norm2", from + ".norm2");
          TimmStages.mlp(map, to, from);
        });
    return TimmStages.withHead(b.layerNorm("backbone.norm", "norm"), head);
  }
}

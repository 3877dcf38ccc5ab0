package dev.vprompt.graph.backbones;

import java.util.List;

/**
 * A backbone whose blocks each hold one self-attention with a fused {@code qkv} projection, passed through
 * {@link dev.vprompt.graph.BlockHook#attentionQkv} (the ViTs, Swin); LoRA adapts these.
 */
public interface AttentionBlocks extends Backbone {

  /** The width d of each block's attention ({@code qkv} maps d to 3d), in block order. */
  List<Integer> attentionWidths();
}

package dev.vprompt.graph.prompts;

import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.backbones.Backbone;
import java.util.List;

/**
 * How deep a deep prompt goes (the LoTeP paper §4.2): blocks 0..d-1 with {@code d = floor(L rho)}, L the
 * backbone's block count, {@code rho in (0, 1]}; no prompt from block d on.
 *
 * @param ratio rho
 */
public record PromptDepth(double ratio) {

  /** vprompt's default rho: the LoTeP paper gives no default (Fig. 4(b) sweeps it), so half the blocks. */
  public static final double DEFAULT_RATIO = 0.5;

  private static final double INTEGER_TOLERANCE = 1e-9;

  public PromptDepth {
    if (!(ratio > 0 && ratio <= 1)) {
      throw new IllegalArgumentException("the depth ratio rho must be in (0, 1], got " + ratio);
    }
  }

  /** d = floor(L rho); a product within 1e-9 of an integer counts as that integer. */
  public int blocks(int blockCount) {
    return (int) Math.floor(blockCount * ratio + INTEGER_TOLERANCE);
  }

  /** d for this backbone; fails when d = 0 (or when there is no backbone to hook into). */
  public int blocksOf(String prompt, Backbone backbone) {
    if (backbone == null) {
      throw new IllegalArgumentException(prompt + " is a deep prompt and needs a backbone with block hooks");
    }
    int blocks = blocks(backbone.blockCount());
    if (blocks < 1) {
      throw new IllegalArgumentException(prompt + ": depth ratio " + ratio + " of " + backbone.name() + "'s "
          + backbone.blockCount() + " blocks prompts floor(" + backbone.blockCount() + " x " + ratio
          + ") = 0 blocks; use a ratio of at least 1/" + backbone.blockCount());
    }
    return blocks;
  }

  /** The inputs of the prompted blocks 0..d-1 on images of {@code input}; fails when d = 0. */
  public List<BlockInput> sites(String prompt, InputSpec input, Backbone backbone) {
    int blocks = blocksOf(prompt, backbone);
    return BlockInputs.of(input, backbone).subList(0, blocks);
  }
}

package dev.vprompt.graph.prompts.lora;

import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.InvalidOptionException;
import dev.vprompt.graph.backbones.AttentionBlocks;
import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.graph.prompts.Contribution;
import dev.vprompt.graph.prompts.Prompt;
import dev.vprompt.ops.BuildContext;
import java.util.HashSet;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * LoRA ("LoRA: Low-Rank Adaptation of Large Language Models", Hu et al., arXiv:2106.09685) on the
 * attention of a ViT or Swin, as Hugging Face PEFT applies it to a {@code Linear} and as the LoTeP paper
 * ("Low-Rank Tensor Visual Prompting", its LoRA baseline: rank 8) runs it: each adapted projection
 * {@code W} (q and v by default, the LoRA paper's choice, which the LoTeP paper's 449K tunable parameters
 * for ViT-B/16 on Tiny-ImageNet confirm: 12 blocks x 2 x 2 x 8 x 768 + the 200-class head) computes
 * {@code x W + b + (alpha / r) x A B} with {@code A [d, r]}, {@code B [r, d]}.
 *
 * <p>PEFT's defaults, matched: A Kaiming-uniform with {@code a = sqrt(5)}, i.e. U(-1/sqrt(d), 1/sqrt(d));
 * B zeros (so the model starts exactly as the backbone); scaling {@code alpha / r} with {@code lora_alpha =
 * 8}; no dropout ({@code lora_dropout = 0}). ViTs and Swin fuse q, k and v into one {@code qkv} projection
 * (timm), so the updates go to the q and v column blocks of its output and k is left alone. The factors
 * are {@code prompt.lora.block<i>.<q|k|v>.a|b} ({@code i} counts blocks over all of Swin's stages), so
 * transfer's default {@code --decay except-prompt} keeps weight decay off them: with B = 0 the data gradient
 * of A is zero at first, and decay alone would shrink A towards zero. With {@code --freeze backbone} only the
 * factors and the head train. An export merges {@code (alpha / r) A B} into the frozen {@code qkv} kernels.
 *
 * <p>Not built: LoRA on convolutions (PEFT's {@code Conv2d} LoRA, which the LoTeP paper's ResNet rows
 * presumably use); this prompt rejects backbones without attention.
 */
public record Lora(int rank, double alpha, List<String> targets) implements Prompt {

  public static final String NAME = "lora";
  /** The LoTeP paper's ("the rank of LoRA is set to 8"). */
  public static final int DEFAULT_RANK = 8;
  /** HF PEFT's {@code LoraConfig.lora_alpha} default; the LoTeP paper gives none. */
  public static final double DEFAULT_ALPHA = 8;
  public static final List<String> DEFAULT_TARGETS = List.of("q", "v");
  /** The column blocks of a fused qkv projection, in order. */
  static final List<String> PROJECTIONS = List.of("q", "k", "v");

  public Lora {
    if (rank < 1) {
      throw new InvalidOptionException("lora-rank", "lora: rank " + rank + " must be at least 1");
    }
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new InvalidOptionException("lora-alpha", "lora: alpha " + alpha + " must be a positive number");
    }
    if (targets == null || targets.isEmpty()) {
      throw new InvalidOptionException("lora-targets", "lora: give at least one of q, k, v to adapt");
    }
    targets = List.copyOf(targets);
    for (String t : targets) {
      if (!PROJECTIONS.contains(t)) {
        throw new InvalidOptionException("lora-targets", "lora: unknown projection '" + t + "'; known: q, k, v");
      }
    }
    if (new HashSet<>(targets).size() != targets.size()) {
      throw new InvalidOptionException("lora-targets", "lora: a projection is named twice in " + targets);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  /** PEFT's {@code scaling}. */
  public float scaling() {
    return (float) (alpha / rank);
  }

  @Override
  public void validate(InputSpec input, Backbone backbone) {
    attention(backbone);
  }

  private AttentionBlocks attention(Backbone backbone) {
    if (!(backbone instanceof AttentionBlocks blocks)) {
      throw new IllegalArgumentException("lora adapts the attention's q and v projections, and the backbone "
          + (backbone == null ? "(none given)" : backbone.name()) + " has no attention: use a ViT or Swin");
    }
    int narrowest = blocks.attentionWidths().stream().mapToInt(Integer::intValue).min().orElse(0);
    if (rank > narrowest) {
      throw new InvalidOptionException("lora-rank", "lora: rank " + rank + " exceeds the attention width "
          + narrowest + " of " + backbone.name());
    }
    return blocks;
  }

  @Override
  public Contribution build(BuildContext ctx, Operand<TFloat32> images, Backbone backbone) {
    attention(backbone);
    return Contribution.of(images, new LoraHook(ctx.child(NAME), rank, scaling(), targets));
  }

  /** The closed form: {@code 2 r d} per adapted projection per block. */
  public long parameterCount(Backbone backbone) {
    return attention(backbone).attentionWidths().stream().mapToLong(d -> 2L * rank * d * targets.size()).sum();
  }
}

package dev.vprompt.graph.backbones;

import dev.vprompt.graph.InvalidOptionException;
import dev.vprompt.graph.BlockHook;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Init;
import dev.vprompt.ops.layers.Conv2d;
import dev.vprompt.ops.layers.LayerNorm;
import dev.vprompt.ops.layers.Padding;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A pre-norm Vision Transformer with a class token and learned position embeddings, read like the
 * paper: {@code x = x + attn(norm1(x)); x = x + mlp(norm2(x))}. ViT-Tiny is d = 192, depth 12, 3 heads,
 * MLP ratio 4, dropout 0.1 (on the embeddings, the attention probabilities, the attention projection
 * and the MLP).
 *
 * <p>Initialisation as the MSVP reference code ({@code msvp/models/vit.py}): the patch convolution
 * Kaiming-normal fan-out with bias 0; class token and position embedding {@code trunc_normal_(std=0.02)},
 * whose bounds are the absolute +-2, so in effect N(0, 0.02^2); the head N(0, 0.02^2) with bias 0; every
 * other linear layer (qkv, proj, fc1, fc2) PyTorch's default, kernel and bias U(+-1/sqrt(fan_in)).
 */
public record VisionTransformer(
    InputSpec input, int patch, int dim, int depth, int heads, int mlpRatio, float dropout)
    implements PatchTokens {

  public static final String TINY = "vit-tiny";
  private static final Init EMBEDDING_INIT = Init.torchTruncatedNormal(0.02f);
  private static final Init LINEAR_INIT = Init.torchLinear();
  private static final Init HEAD_INIT = Init.normal(0.02f);

  /** ViT-Tiny; the patch size is the one option a backbone takes (--patch-size). */
  public static final BackboneFamily FAMILY = new BackboneFamily() {
    @Override
    public List<String> names() {
      return List.of(TINY);
    }

    @Override
    public boolean takesPatchSize() {
      return true;
    }

    @Override
    public Backbone create(String name, InputSpec input, Integer patchSize) {
      return tiny(input, patchSize);
    }
  };

  public VisionTransformer {
    if (patch < 1 || input.height() % patch != 0 || input.width() % patch != 0) {
      throw new IllegalArgumentException(
          "ViT patch size " + patch + " does not divide the input " + input);
    }
  }

  public static VisionTransformer tiny(InputSpec input, Integer patchOverride) {
    int patch = patchOverride != null ? patchOverride : defaultPatch(input);
    return new VisionTransformer(input, patch, 192, 12, 3, 4, 0.1f);
  }

  /**
   * The paper's adaptive patch: 7 for 28x28 (16 patches), 4 for 32x32 (64 patches); for other sizes,
   * the smallest common divisor of height and width (at least 2) that gives at most 64 patches.
   */
  public static int defaultPatch(InputSpec input) {
    if (input.height() == 28 && input.width() == 28) {
      return 7;
    }
    if (input.height() == 32 && input.width() == 32) {
      return 4;
    }
    for (int p = 2; p <= Math.min(input.height(), input.width()); p++) {
      if (input.height() % p == 0 && input.width() % p == 0
          && (input.height() / p) * (input.width() / p) <= 64) {
        return p;
      }
    }
    throw new InvalidOptionException("patch-size",
        "no patch size divides " + input + " into at most 64 patches: give one with --patch-size");
  }

  @Override
  public int gridHeight() {
    return input.height() / patch;
  }

  @Override
  public int gridWidth() {
    return input.width() / patch;
  }

  @Override
  public int patches() {
    return gridHeight() * gridWidth();
  }

  @Override
  public String name() {
    return TINY;
  }

  @Override
  public Features forward(
      BuildContext ctx, Operand<TFloat32> images, Operand<TFloat32> field, BlockHook prompt) {
    Ops tf = ctx.tf();
    Operand<TFloat32> grid = new Conv2d(dim, patch, patch, Padding.VALID, 1, true, Init.kaimingNormalFanOut())
        .applyWithField(ctx.child("patch_embed"), images, field);
    Operand<TFloat32> patchTokens = tf.reshape(grid, tf.constant(new long[] {-1, patches(), dim}));
    VitEncoder encoder = new VitEncoder(dim, depth, heads, dim * mlpRatio, LayerNorm.DEFAULT, dropout, LINEAR_INIT);
    Operand<TFloat32> tokens = encoder.tokens(ctx, patchTokens, patches(), EMBEDDING_INIT, EMBEDDING_INIT);
    return encoder.encode(ctx, tokens, prompt);
  }

  @Override
  public int featureWidth() {
    return dim;
  }

  @Override
  public int blockCount() {
    return depth;
  }

  @Override
  public Init headInit() {
    return HEAD_INIT;
  }
}

package dev.vprompt.graph.backbones;

import dev.vprompt.ops.Decay;
import dev.vprompt.graph.InvalidOptionException;
import dev.vprompt.graph.BlockHook;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Init;
import dev.vprompt.ops.layers.Conv2d;
import dev.vprompt.ops.layers.Dropout;
import dev.vprompt.ops.layers.GeluMlp;
import dev.vprompt.ops.layers.LayerNorm;
import dev.vprompt.ops.layers.MultiHeadSelfAttention;
import dev.vprompt.ops.layers.Padding;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A pre-norm Vision Transformer with a class token and learned position embeddings, read like the
 * paper: {@code x = x + attn(norm1(x)); x = x + mlp(norm2(x))}. ViT-Tiny is d = 192, depth 12, 3 heads,
 * MLP ratio 4, dropout 0.1 (on the embeddings, the attention projection and the MLP).
 */
public record VisionTransformer(
    InputSpec input, int patch, int dim, int depth, int heads, int mlpRatio, float dropout)
    implements PatchTokens {

  public static final String TINY = "vit-tiny";
  private static final Init LINEAR_INIT = Init.truncatedNormal(0.02f);

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
    BlockTrace hook = new BlockTrace(prompt);
    Ops tf = ctx.tf();
    Operand<TFloat32> x = embed(ctx, images, field);
    for (int j = 0; j < depth; j++) {
      x = hook.beforeBlock(j, x);
      x = block(ctx.child("block" + (j + 1)), x);
      x = hook.afterBlock(j, x);
    }
    Operand<TFloat32> cls = tf.stridedSlice(x, Indices.all(), Indices.at(0), Indices.all());
    return hook.features(LayerNorm.DEFAULT.apply(ctx.child("norm"), cls));
  }

  /** Patches -> tokens, class token first, plus position embeddings. */
  private Operand<TFloat32> embed(BuildContext ctx, Operand<TFloat32> images, Operand<TFloat32> field) {
    Ops tf = ctx.tf();
    Operand<TFloat32> grid = new Conv2d(dim, patch, patch, Padding.VALID, 1, true, LINEAR_INIT)
        .applyWithField(ctx.child("patch_embed"), images, field);
    Operand<TFloat32> patchTokens = tf.reshape(grid, tf.constant(new long[] {-1, patches(), dim}));
    Operand<TFloat32> cls = ctx.weight("cls_token", Shape.of(1, 1, dim), LINEAR_INIT, Decay.NOT_DECAYED).variable();
    // one class token per image, broadcast by adding to a zeroed slice of the patch tokens (no Shape op
    // on the gradient path)
    Operand<TFloat32> firstPatch =
        tf.stridedSlice(patchTokens, Indices.all(), Indices.slice(0, 1), Indices.all());
    Operand<TFloat32> clsTokens = tf.math.add(tf.math.mul(tf.stopGradient(firstPatch), tf.constant(0f)), cls);
    Operand<TFloat32> tokens = tf.concat(List.of(clsTokens, patchTokens), tf.constant(1));
    Operand<TFloat32> position =
        ctx.weight("pos_embed", Shape.of(1, patches() + 1, dim), LINEAR_INIT, Decay.NOT_DECAYED).variable();
    return new Dropout(dropout).apply(ctx, tf.math.add(tokens, position));
  }

  private Operand<TFloat32> block(BuildContext ctx, Operand<TFloat32> x) {
    Ops tf = ctx.tf();
    Operand<TFloat32> attended = new MultiHeadSelfAttention(heads, 0f, dropout, LINEAR_INIT)
        .apply(ctx.child("attn"), LayerNorm.DEFAULT.apply(ctx.child("norm1"), x));
    x = tf.math.add(x, attended);
    Operand<TFloat32> mlp = new GeluMlp(dim * mlpRatio, dropout, LINEAR_INIT)
        .apply(ctx.child("mlp"), LayerNorm.DEFAULT.apply(ctx.child("norm2"), x));
    return tf.math.add(x, mlp);
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
    return LINEAR_INIT;
  }
}

package dev.vprompt.graph.backbones;

import dev.vprompt.graph.BlockHook;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Init;
import dev.vprompt.ops.layers.Conv2d;
import dev.vprompt.ops.layers.LayerNorm;
import dev.vprompt.ops.layers.Padding;
import dev.vprompt.ops.weights.PositionEmbedding;
import dev.vprompt.ops.weights.WeightMapping;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The Vision Transformer of "An Image is Worth 16x16 Words" (Dosovitskiy et al., arXiv:2010.11929) with
 * timm's {@code VisionTransformer} semantics, so that timm's weights give timm's outputs: a patch
 * convolution, a class token, a learned position embedding that includes the class position, pre-norm
 * blocks ({@code x + attn(norm1(x))}, {@code x + mlp(norm2(x))}) with a fused qkv projection, LayerNorm eps
 * 1e-6, exact (erf) GELU, a final norm, the class token's features. No dropout (timm's default for these
 * checkpoints). The position embedding is sized for the input's grid; a checkpoint made for another grid
 * is resampled at import ({@link PositionEmbedding}).
 */
public record TimmVit(String name, InputSpec input, int patch, int dim, int depth, int heads, int mlpHidden)
    implements PatchTokens, Pretrained, AttentionBlocks {

  public static final String FAMILY = "vit";
  /** The named variants (timm's vit_base_patch16_224, ..._patch32_224, vit_small_patch16_224, vit_tiny_patch16_224). */
  public static final List<String> VARIANTS = List.of("vit-b16", "vit-b32", "vit-s16", "vit-ti16");
  static final List<String> SETTINGS = List.of("patch", "dim", "depth", "heads", "mlp");
  private static final LayerNorm NORM = new LayerNorm(1e-6f);
  private static final Init LINEAR_INIT = Init.truncatedNormal(0.02f);

  public TimmVit {
    if (patch < 1 || input.height() % patch != 0 || input.width() % patch != 0) {
      throw new IllegalArgumentException(name + ": patch size " + patch + " does not divide the input " + input);
    }
    if (dim < 1 || depth < 1 || heads < 1 || dim % heads != 0 || mlpHidden < 1) {
      throw new IllegalArgumentException(name + ": width " + dim + " must be a positive multiple of " + heads
          + " heads, with positive depth and MLP width");
    }
  }

  /** A named variant at the given input (224 x 224 x 3 is the checkpoints' own). */
  public static TimmVit variant(String name, InputSpec input) {
    return switch (name) {
      case "vit-b16" -> new TimmVit(name, input, 16, 768, 12, 12, 3072);
      case "vit-b32" -> new TimmVit(name, input, 32, 768, 12, 12, 3072);
      case "vit-s16" -> new TimmVit(name, input, 16, 384, 12, 6, 1536);
      case "vit-ti16" -> new TimmVit(name, input, 16, 192, 12, 3, 768);
      default -> throw new IllegalArgumentException("unknown ViT variant '" + name + "'; known: " + VARIANTS);
    };
  }

  /** {@code vit(patch=P,dim=D,depth=L,heads=H[,mlp=M])}; the MLP width defaults to 4 D. */
  public static TimmVit of(BackboneSpec spec, InputSpec input) {
    spec.requireKeys(SETTINGS);
    for (String key : List.of("patch", "dim", "depth", "heads")) {
      if (!spec.values().containsKey(key)) {
        throw new IllegalArgumentException("vit backbone needs " + key + "=...: " + SETTINGS);
      }
    }
    int dim = spec.integer("dim", 0);
    int hidden = spec.integer("mlp", 4 * dim);
    return new TimmVit(specOf(spec.integer("patch", 0), dim, spec.integer("depth", 0), spec.integer("heads", 0),
        (double) hidden / dim), input, spec.integer("patch", 0), dim, spec.integer("depth", 0), spec.integer("heads", 0),
        hidden);
  }

  /** The canonical spelling of a {@code vit(...)} spec (checked as {@link #of} checks it, but for the input). */
  static String canonical(BackboneSpec spec) {
    return of(spec, new InputSpec(spec.integer("patch", 1), spec.integer("patch", 1), 3)).name();
  }

  /** The spec string of timm's {@code VisionTransformer(**kwargs)} constructor arguments. */
  public static String specOf(int patch, int dim, int depth, int heads, double mlpRatio) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("patch", patch);
    values.put("dim", dim);
    values.put("depth", depth);
    values.put("heads", heads);
    int hidden = (int) Math.round(dim * mlpRatio);
    if (hidden != 4 * dim) {
      values.put("mlp", hidden);
    }
    return BackboneSpec.format(FAMILY, values);
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
  public Features forward(
      BuildContext ctx, Operand<TFloat32> images, Operand<TFloat32> field, BlockHook prompt) {
    Ops tf = ctx.tf();
    Operand<TFloat32> grid = new Conv2d(dim, patch, patch, Padding.VALID, 1, true, LINEAR_INIT)
        .applyWithField(ctx.child("patch_embed"), images, field);
    // NHWC row-major over (h, w) is timm's flatten(2).transpose(1, 2) of NCHW
    Operand<TFloat32> patchTokens = tf.reshape(grid, tf.constant(new long[] {-1, patches(), dim}));
    Operand<TFloat32> tokens = encoder().tokens(ctx, patchTokens, patches(), Init.normal(1e-6f), LINEAR_INIT);
    return encoder().encode(ctx, tokens, prompt);
  }

  private VitEncoder encoder() {
    return new VitEncoder(dim, depth, heads, mlpHidden, NORM, 0f, LINEAR_INIT);
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
  public List<Integer> attentionWidths() {
    return java.util.Collections.nCopies(depth, dim);
  }

  @Override
  public Init headInit() {
    return LINEAR_INIT;
  }

  @Override
  public WeightMapping timmWeights() {
    WeightMapping.Builder map = WeightMapping.builder()
        .inputConvWithBias("backbone.patch_embed", "patch_embed.proj")
        .copy("backbone.cls_token", "cls_token")
        .map("backbone.pos_embed", "pos_embed", new PositionEmbedding(1, gridHeight(), gridWidth()));
    for (int j = 0; j < depth; j++) {
      String to = "backbone.block" + (j + 1);
      String from = "blocks." + j;
      map.layerNorm(to + ".norm1", from + ".norm1")
          .linear(to + ".attn.qkv", from + ".attn.qkv")
          .linear(to + ".attn.proj", from + ".attn.proj")
          .layerNorm(to + ".norm2", from + ".norm2");
      TimmStages.mlp(map, to, from);
    }
    return map.layerNorm("backbone.norm", "norm").linear("head", "head").build();
  }
}

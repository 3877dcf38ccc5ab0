package dev.vprompt.graph.backbones;

import dev.vprompt.graph.BlockHook;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Init;
import dev.vprompt.ops.layers.Conv2d;
import dev.vprompt.ops.layers.Dense;
import dev.vprompt.ops.layers.DropPath;
import dev.vprompt.ops.layers.GeluMlp;
import dev.vprompt.ops.layers.LayerNorm;
import dev.vprompt.ops.layers.Padding;
import dev.vprompt.ops.layers.Pooling;
import dev.vprompt.ops.weights.WeightMapping;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Swin Transformer ("Swin Transformer: Hierarchical Vision Transformer using Shifted Windows",
 * arXiv:2103.14030) with timm's {@code SwinTransformer} semantics, so that timm's weights give timm's
 * outputs: a patch convolution and LayerNorm, stages of blocks {@code x + attn(norm1(x))}, {@code x +
 * mlp(norm2(x))} over {@code [B, H, W, C]} maps, window attention with a relative position bias, every
 * odd block of a stage on windows shifted by half a window (with the mask that keeps shifted regions
 * apart), patch merging before stages 2.. (norm then reduction over the 2 x 2 neighbours concatenated
 * in timm's order), a final LayerNorm and the mean over tokens. LayerNorms use PyTorch's eps 1e-5.
 *
 * <p>As timm does: a window larger than a stage's grid shrinks to the grid and is not shifted; a grid
 * the window does not divide is padded at the bottom and right (after the shift) with zeros that take
 * part in attention. Block hooks see and return {@code [B, H, W, C]}.
 *
 * @param window the target window side (per stage it may shrink to the grid)
 * @param dropPathRate stochastic depth, rising linearly from 0 over all blocks to this value (timm's
 *     constructor default 0.1; inert in inference)
 */
public record SwinTransformer(String name, InputSpec input, int patch, int window, int embedDim, List<Integer> depths,
    List<Integer> heads, double mlpRatio, float dropPathRate) implements Pretrained {

  public static final String FAMILY = "swin";
  /** The named variants: timm's {@code swin_{tiny,small,base}_patch4_window7_224}. */
  public static final List<String> VARIANTS = List.of("swin-t", "swin-s", "swin-b");

  static final List<String> SETTINGS = List.of("patch", "window", "dim", "depths", "heads", "mlp", "drop_path");
  private static final float TIMM_DROP_PATH = 0.1f;
  private static final Init LINEAR_INIT = Init.truncatedNormal(0.02f);
  private static final LayerNorm NORM = LayerNorm.DEFAULT;
  private static final Set<String> KWARGS = Set.of("img_size", "patch_size", "in_chans", "num_classes",
      "global_pool", "embed_dim", "depths", "num_heads", "window_size", "mlp_ratio", "qkv_bias", "drop_rate",
      "proj_drop_rate", "attn_drop_rate", "drop_path_rate", "strict_img_size", "always_partition", "head_dim");

  public SwinTransformer {
    depths = List.copyOf(depths);
    heads = List.copyOf(heads);
    String what = "swin " + name + ": ";
    if (patch < 1 || window < 1 || embedDim < 1 || !(mlpRatio > 0)) {
      throw new IllegalArgumentException(what + "patch, window, embed_dim and mlp_ratio must be positive");
    }
    if (depths.size() != heads.size() || depths.isEmpty()) {
      throw new IllegalArgumentException(what + "depths " + depths + " and num_heads " + heads
          + " need one entry per stage");
    }
    if (input.height() < patch || input.width() < patch) {
      throw new IllegalArgumentException(what + "patch " + patch + " is larger than the input " + input);
    }
    if (!(dropPathRate >= 0 && dropPathRate < 1)) {
      throw new IllegalArgumentException(what + "drop_path_rate must be in [0, 1), got " + dropPathRate);
    }
    int h = input.height() / patch;
    int w = input.width() / patch;
    for (int s = 0; s < depths.size(); s++) {
      int dim = embedDim << s;
      if (depths.get(s) < 1 || heads.get(s) < 1 || dim % heads.get(s) != 0) {
        throw new IllegalArgumentException(what + "stage " + (s + 1) + " needs at least one block and a head count"
            + " dividing its width " + dim + ", got depth " + depths.get(s) + " and " + heads.get(s) + " heads");
      }
      if (s > 0) {
        if (h % 2 != 0 || w % 2 != 0) {
          throw new IllegalArgumentException(what + "patch merging before stage " + (s + 1) + " needs an even grid, got "
              + h + "x" + w + " (input " + input + ", patch " + patch + "); use an input of a multiple of "
              + (patch << (depths.size() - 1)));
        }
        h /= 2;
        w /= 2;
      }
    }
  }

  /** A named variant ({@link #VARIANTS}) on images of {@code input} (224 x 224 x 3 for the pretrained weights). */
  public static SwinTransformer named(String name, InputSpec input) {
    float dp = TIMM_DROP_PATH;
    return switch (name) {
      case "swin-t" -> new SwinTransformer(name, input, 4, 7, 96, List.of(2, 2, 6, 2), List.of(3, 6, 12, 24), 4, dp);
      case "swin-s" -> new SwinTransformer(name, input, 4, 7, 96, List.of(2, 2, 18, 2), List.of(3, 6, 12, 24), 4, dp);
      case "swin-b" ->
          new SwinTransformer(name, input, 4, 7, 128, List.of(2, 2, 18, 2), List.of(4, 8, 16, 32), 4, dp);
      default -> throw new IllegalArgumentException("unknown swin variant '" + name + "'; known: "
          + String.join(", ", VARIANTS));
    };
  }

  /**
   * {@code swin(patch=P,window=W,dim=D,depths=a-b..,heads=a-b..[,mlp=R,drop_path=p])} on images of {@code
   * input}; mlp ratio 4 and drop path 0.1 (timm's defaults) unless given.
   */
  public static SwinTransformer of(BackboneSpec spec, InputSpec input) {
    spec.requireKeys(SETTINGS);
    for (String key : List.of("patch", "window", "dim", "depths", "heads")) {
      if (!spec.values().containsKey(key)) {
        throw new IllegalArgumentException("swin backbone needs " + key + "=...: " + SETTINGS);
      }
    }
    SwinTransformer unnamed = new SwinTransformer(FAMILY, input, spec.integer("patch", 0), spec.integer("window", 0),
        spec.integer("dim", 0), spec.integers("depths", null), spec.integers("heads", null), spec.decimal("mlp", 4),
        (float) spec.decimal("drop_path", TIMM_DROP_PATH));
    return unnamed.named(unnamed.spec());
  }

  /**
   * The canonical spelling of a {@code swin(...)} spec, checked as {@link #of} checks it on an input whose
   * grid every stage's merging halves evenly.
   */
  static String canonical(BackboneSpec spec) {
    int stages = spec.integers("depths", List.of(1)).size();
    int side = Math.max(1, spec.integer("patch", 1)) * Math.max(1, spec.integer("window", 1)) << (stages - 1);
    return of(spec, new InputSpec(side, side, 3)).name();
  }

  /** The family spec of this configuration, settings at timm's defaults left out. */
  public String spec() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("patch", patch);
    values.put("window", window);
    values.put("dim", embedDim);
    values.put("depths", BackboneSpec.dashed(depths));
    values.put("heads", BackboneSpec.dashed(heads));
    if (mlpRatio != 4) {
      values.put("mlp", mlpRatio);
    }
    if (dropPathRate != TIMM_DROP_PATH) {
      values.put("drop_path", dropPathRate);
    }
    return BackboneSpec.format(FAMILY, values);
  }

  /**
   * The configuration a timm {@code SwinTransformer(**kwargs)} was built with (JSON-parsed values), with
   * timm's defaults for absent arguments; the input is {@code img_size x img_size x in_chans}.
   */
  public static SwinTransformer fromTimmKwargs(Map<String, ?> kwargs) {
    TimmKwargs args = new TimmKwargs("SwinTransformer", kwargs, KWARGS);
    args.requireDefault("global_pool", "avg");
    args.requireDefault("qkv_bias", true);
    args.requireDefault("drop_rate", 0);
    args.requireDefault("proj_drop_rate", 0);
    args.requireDefault("attn_drop_rate", 0);
    args.requireDefault("strict_img_size", true);
    args.requireDefault("always_partition", false);
    if (kwargs.get("head_dim") != null) {
      throw new IllegalArgumentException("SwinTransformer argument 'head_dim' is not supported (heads split the width)");
    }
    int size = args.square("img_size", 224);
    InputSpec input = new InputSpec(size, size, args.integer("in_chans", 3));
    SwinTransformer unnamed = new SwinTransformer(FAMILY, input, args.integer("patch_size", 4),
        args.square("window_size", 7), args.integer("embed_dim", 96), args.integers("depths", List.of(2, 2, 6, 2)),
        args.integers("num_heads", List.of(3, 6, 12, 24)), args.number("mlp_ratio", 4),
        (float) args.number("drop_path_rate", TIMM_DROP_PATH));
    return unnamed.named(unnamed.spec());
  }

  /** The geometry of one stage: its grid, the window it uses, its shift (0 for none) and padded grid. */
  record Stage(int dim, int heads, int height, int width, int windowH, int windowW, int shiftH, int shiftW) {

    int paddedHeight() {
      return ceilTo(height, windowH);
    }

    int paddedWidth() {
      return ceilTo(width, windowW);
    }

    int windows() {
      return (paddedHeight() / windowH) * (paddedWidth() / windowW);
    }

    private static int ceilTo(int size, int multiple) {
      return (size + multiple - 1) / multiple * multiple;
    }
  }

  /** Every stage's geometry, as timm's {@code _calc_window_shift} derives it from the grid. */
  public List<Stage> stages() {
    List<Stage> out = new ArrayList<>();
    int h = input.height() / patch;
    int w = input.width() / patch;
    for (int s = 0; s < depths.size(); s++) {
      if (s > 0) {
        h /= 2;
        w /= 2;
      }
      int wh = Math.min(window, h);
      int ww = Math.min(window, w);
      int sh = h <= window ? 0 : window / 2;
      int sw = w <= window ? 0 : window / 2;
      out.add(new Stage(embedDim << s, heads.get(s), h, w, wh, ww, sh, sw));
    }
    return out;
  }

  @Override
  public Features forward(
      BuildContext ctx, Operand<TFloat32> images, Operand<TFloat32> field, BlockHook prompt) {
    BlockTrace hook = new BlockTrace(prompt);
    Ops tf = ctx.tf();
    BuildContext embed = ctx.child("patch_embed");
    Operand<TFloat32> x = new Conv2d(embedDim, patch, patch, Padding.VALID, 1, true, LINEAR_INIT)
        .applyWithField(embed.child("proj"), images, field);
    x = NORM.apply(embed.child("norm"), x);
    List<Stage> stages = stages();
    int total = depths.stream().mapToInt(Integer::intValue).sum();
    int block = 0;
    for (int s = 0; s < stages.size(); s++) {
      Stage stage = stages.get(s);
      BuildContext stageCtx = ctx.child("stage" + (s + 1));
      if (s > 0) {
        x = mergePatches(stageCtx.child("downsample"), x, stages.get(s - 1), stage.dim());
      }
      for (int b = 0; b < depths.get(s); b++) {
        boolean shifted = b % 2 == 1 && (stage.shiftH() > 0 || stage.shiftW() > 0);
        float dropPath = total == 1 ? 0f : (float) (dropPathRate * block / (total - 1.0));
        x = hook.beforeBlock(block, x);
        x = block(stageCtx.child("block" + (b + 1)), x, stage, shifted, new DropPath(dropPath));
        x = hook.afterBlock(block++, x);
      }
    }
    x = NORM.apply(ctx.child("norm"), x);
    return hook.features(Pooling.globalAverage(tf, x));
  }

  private Operand<TFloat32> block(BuildContext ctx, Operand<TFloat32> x, Stage stage, boolean shifted, DropPath drop) {
    Ops tf = ctx.tf();
    Operand<TFloat32> attended = windowAttention(ctx, NORM.apply(ctx.child("norm1"), x), stage, shifted);
    x = tf.math.add(x, drop.apply(ctx, attended));
    Operand<TFloat32> tokens = tf.reshape(x, tf.constant(new long[] {-1, (long) stage.height() * stage.width(),
        stage.dim()}));
    Operand<TFloat32> mlp = new GeluMlp((int) (stage.dim() * mlpRatio), 0f, LINEAR_INIT)
        .apply(ctx.child("mlp"), NORM.apply(ctx.child("norm2"), tokens));
    tokens = tf.math.add(tokens, drop.apply(ctx, mlp));
    return tf.reshape(tokens, tf.constant(new long[] {-1, stage.height(), stage.width(), stage.dim()}));
  }

  /** timm's {@code SwinTransformerBlock._attn}: shift, pad, partition, attend, reverse, crop, shift back. */
  private Operand<TFloat32> windowAttention(BuildContext ctx, Operand<TFloat32> x, Stage stage, boolean shifted) {
    Ops tf = ctx.tf();
    int h = stage.height();
    int w = stage.width();
    int sh = shifted ? stage.shiftH() : 0;
    int sw = shifted ? stage.shiftW() : 0;
    int ph = stage.paddedHeight();
    int pw = stage.paddedWidth();
    Operand<TFloat32> y = SwinWindows.roll(tf, x, -sh, -sw, h, w);
    if (ph != h || pw != w) {
      y = tf.pad(y, tf.constant(new int[][] {{0, 0}, {0, ph - h}, {0, pw - w}, {0, 0}}), tf.constant(0f));
    }
    Operand<TFloat32> windows = SwinWindows.partition(tf, y, ph, pw, stage.windowH(), stage.windowW(), stage.dim());
    float[] mask = shifted
        ? SwinWindows.shiftMask(ph, pw, stage.windowH(), stage.windowW(), sh, sw) : null;
    Operand<TFloat32> attended = new WindowAttention(stage.heads(), stage.windowH(), stage.windowW(), 0f, 0f,
        LINEAR_INIT).apply(ctx.child("attn"), windows, stage.dim(), mask, stage.windows());
    y = SwinWindows.reverse(tf, attended, ph, pw, stage.windowH(), stage.windowW(), stage.dim());
    if (ph != h || pw != w) {
      y = tf.stridedSlice(y, Indices.all(), Indices.slice(0, h), Indices.slice(0, w), Indices.all());
    }
    return SwinWindows.roll(tf, y, sh, sw, h, w);
  }

  /**
   * timm's {@code PatchMerging}: each 2 x 2 neighbourhood concatenated as (row 0, col 0), (row 1, col 0),
   * (row 0, col 1), (row 1, col 1), then LayerNorm over the 4C channels and a bias-free reduction to {@code out}.
   */
  private static Operand<TFloat32> mergePatches(BuildContext ctx, Operand<TFloat32> x, Stage before, int out) {
    Ops tf = ctx.tf();
    int c = before.dim();
    Operand<TFloat32> y = tf.reshape(x, tf.constant(new long[] {-1, before.height() / 2, 2, before.width() / 2, 2, c}));
    y = tf.linalg.transpose(y, tf.constant(new int[] {0, 1, 3, 4, 2, 5}));
    y = tf.reshape(y, tf.constant(new long[] {-1, before.height() / 2, before.width() / 2, 4L * c}));
    y = NORM.apply(ctx.child("norm"), y);
    int h = before.height() / 2;
    int w = before.width() / 2;
    Operand<TFloat32> reduced = new Dense(out, false, LINEAR_INIT)
        .apply(ctx.child("reduction"), tf.reshape(y, tf.constant(new long[] {-1, (long) h * w, 4L * c})));
    return tf.reshape(reduced, tf.constant(new long[] {-1, h, w, out}));
  }

  private SwinTransformer named(String newName) {
    return new SwinTransformer(newName, input, patch, window, embedDim, depths, heads, mlpRatio, dropPathRate);
  }

  @Override
  public WeightMapping timmWeights() {
    return SwinWeights.timm(this, true);
  }

  @Override
  public int featureWidth() {
    return embedDim << (depths.size() - 1);
  }

  @Override
  public int blockCount() {
    return depths.stream().mapToInt(Integer::intValue).sum();
  }

  @Override
  public Init headInit() {
    return LINEAR_INIT;
  }
}

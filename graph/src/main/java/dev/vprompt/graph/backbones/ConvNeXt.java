package dev.vprompt.graph.backbones;

import dev.vprompt.graph.BlockHook;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Decay;
import dev.vprompt.ops.Init;
import dev.vprompt.ops.layers.Conv2d;
import dev.vprompt.ops.layers.DepthwiseConv2d;
import dev.vprompt.ops.layers.DropPath;
import dev.vprompt.ops.layers.GeluMlp;
import dev.vprompt.ops.layers.LayerNorm;
import dev.vprompt.ops.layers.Padding;
import dev.vprompt.ops.layers.Pooling;
import dev.vprompt.ops.weights.WeightMapping;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * ConvNeXt ("A ConvNet for the 2020s", arXiv:2201.03545) with timm's {@code ConvNeXt} semantics, so that
 * timm's weights give timm's outputs: a 4 x 4 / 4 stem convolution and channels-last LayerNorm; four
 * stages, stages 2.. opening with LayerNorm and a 2 x 2 / 2 convolution; blocks {@code x + gamma *
 * fc2(gelu(fc1(norm(dwconv7x7(x)))))} with a learned per-channel layer scale gamma; then the mean over
 * the map and a LayerNorm (timm's head norm; its {@code fc} is the classifier's head). Every LayerNorm
 * has eps 1e-6 (timm's {@code LayerNorm}, {@code LayerNorm2d}). Block hooks see {@code [B, H, W, C]}.
 *
 * @param dropPathRate stochastic depth, rising linearly from 0 over all blocks (timm's default 0)
 */
public record ConvNeXt(String name, InputSpec input, int patch, List<Integer> depths, List<Integer> dims,
    int kernel, double mlpRatio, float layerScaleInit, float dropPathRate) implements Pretrained {

  public static final String FAMILY = "convnext";
  /** The named variants: timm's {@code convnext_{tiny,small,base}}. */
  public static final List<String> VARIANTS = List.of("convnext-t", "convnext-s", "convnext-b");

  static final List<String> SETTINGS = List.of("depths", "dims", "patch", "kernel", "ls", "drop_path");
  private static final Init INIT = Init.truncatedNormal(0.02f);
  private static final LayerNorm NORM = new LayerNorm(1e-6f);
  private static final Set<String> KWARGS = Set.of("in_chans", "num_classes", "global_pool", "output_stride",
      "depths", "dims", "kernel_sizes", "ls_init_value", "stem_type", "patch_size", "head_init_scale",
      "head_norm_first", "head_hidden_size", "conv_mlp", "conv_bias", "use_grn", "act_layer", "norm_layer",
      "norm_eps", "drop_rate", "drop_path_rate");

  public ConvNeXt {
    depths = List.copyOf(depths);
    dims = List.copyOf(dims);
    String what = "convnext " + name + ": ";
    if (depths.size() != 4 || dims.size() != 4) {
      throw new IllegalArgumentException(what + "needs 4 depths and 4 dims, got " + depths + " and " + dims);
    }
    for (int s = 0; s < 4; s++) {
      if (depths.get(s) < 0 || dims.get(s) < 1) {
        throw new IllegalArgumentException(what + "depths must be >= 0 and dims >= 1, got " + depths + " and " + dims);
      }
    }
    if (patch < 1 || kernel < 1 || kernel % 2 == 0 || !(mlpRatio > 0)) {
      throw new IllegalArgumentException(what + "patch_size must be positive, the kernel odd and mlp_ratio positive");
    }
    if (!(dropPathRate >= 0 && dropPathRate < 1)) {
      throw new IllegalArgumentException(what + "drop_path_rate must be in [0, 1), got " + dropPathRate);
    }
    // the stem and three 2x2/2 downsamplings floor the map: it must keep at least one pixel
    int span = patch * 8;
    if (input.height() < span || input.width() < span) {
      throw new IllegalArgumentException(what + "needs an input of at least " + span + "x" + span
          + " (stem " + patch + " x three 2x2 downsamplings), got " + input);
    }
  }

  public static ConvNeXt named(String name, InputSpec input) {
    return switch (name) {
      case "convnext-t" -> standard(name, input, List.of(3, 3, 9, 3), List.of(96, 192, 384, 768));
      case "convnext-s" -> standard(name, input, List.of(3, 3, 27, 3), List.of(96, 192, 384, 768));
      case "convnext-b" -> standard(name, input, List.of(3, 3, 27, 3), List.of(128, 256, 512, 1024));
      default -> throw new IllegalArgumentException("unknown convnext variant '" + name + "'; known: "
          + String.join(", ", VARIANTS));
    };
  }

  private static ConvNeXt standard(String name, InputSpec input, List<Integer> depths, List<Integer> dims) {
    return new ConvNeXt(name, input, 4, depths, dims, 7, 4, 1e-6f, 0f);
  }

  /**
   * {@code convnext(depths=a-b-c-d,dims=a-b-c-d[,patch=4,kernel=7,ls=1e-6,drop_path=0])} on images of {@code
   * input}, timm's defaults where not given.
   */
  public static ConvNeXt of(BackboneSpec spec, InputSpec input) {
    spec.requireKeys(SETTINGS);
    for (String key : List.of("depths", "dims")) {
      if (!spec.values().containsKey(key)) {
        throw new IllegalArgumentException("convnext backbone needs " + key + "=...: " + SETTINGS);
      }
    }
    ConvNeXt unnamed = new ConvNeXt(FAMILY, input, spec.integer("patch", 4), spec.integers("depths", null),
        spec.integers("dims", null), spec.integer("kernel", 7), 4, (float) spec.decimal("ls", 1e-6),
        (float) spec.decimal("drop_path", 0));
    return unnamed.named(unnamed.spec());
  }

  /** The canonical spelling of a {@code convnext(...)} spec, checked as {@link #of} checks it. */
  static String canonical(BackboneSpec spec) {
    int side = 8 * Math.max(1, spec.integer("patch", 4));
    return of(spec, new InputSpec(side, side, 3)).name();
  }

  /** The family spec of this configuration, settings at timm's defaults left out. */
  public String spec() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("depths", BackboneSpec.dashed(depths));
    values.put("dims", BackboneSpec.dashed(dims));
    if (patch != 4) {
      values.put("patch", patch);
    }
    if (kernel != 7) {
      values.put("kernel", kernel);
    }
    if (layerScaleInit != 1e-6f) {
      values.put("ls", layerScaleInit);
    }
    if (dropPathRate != 0f) {
      values.put("drop_path", dropPathRate);
    }
    return BackboneSpec.format(FAMILY, values);
  }

  private ConvNeXt named(String newName) {
    return new ConvNeXt(newName, input, patch, depths, dims, kernel, mlpRatio, layerScaleInit, dropPathRate);
  }

  /**
   * The configuration a timm {@code ConvNeXt(**kwargs)} was built with (JSON-parsed values), timm's
   * defaults for absent arguments, on images of {@code input} (ConvNeXt has no fixed image size).
   */
  public static ConvNeXt fromTimmKwargs(Map<String, ?> kwargs, InputSpec input) {
    TimmKwargs args = new TimmKwargs("ConvNeXt", kwargs, KWARGS);
    args.requireDefault("global_pool", "avg");
    args.requireDefault("stem_type", "patch");
    args.requireDefault("act_layer", "gelu");
    args.requireDefault("output_stride", 32);
    args.requireDefault("head_norm_first", false);
    args.requireDefault("conv_mlp", false);
    args.requireDefault("conv_bias", true);
    args.requireDefault("use_grn", false);
    args.requireDefault("drop_rate", 0);
    args.requireDefault("norm_eps", 1e-6);
    for (String key : List.of("head_hidden_size", "norm_layer")) {
      if (kwargs.get(key) != null) {
        throw new IllegalArgumentException("ConvNeXt argument '" + key + "' is not supported (only timm's default)");
      }
    }
    if (kwargs.containsKey("ls_init_value") && kwargs.get("ls_init_value") == null) {
      throw new IllegalArgumentException("ConvNeXt argument 'ls_init_value' = null (no layer scale) is not supported");
    }
    if (input.channels() != args.integer("in_chans", 3)) {
      throw new IllegalArgumentException("ConvNeXt in_chans " + args.integer("in_chans", 3) + " does not match the input "
          + input);
    }
    ConvNeXt unnamed = new ConvNeXt(FAMILY, input, args.integer("patch_size", 4),
        args.integers("depths", List.of(3, 3, 9, 3)), args.integers("dims", List.of(96, 192, 384, 768)),
        args.square("kernel_sizes", 7), 4, (float) args.number("ls_init_value", 1e-6),
        (float) args.number("drop_path_rate", 0));
    return unnamed.named(unnamed.spec());
  }

  @Override
  public Features forward(
      BuildContext ctx, Operand<TFloat32> images, Operand<TFloat32> field, BlockHook prompt) {
    BlockTrace hook = new BlockTrace(prompt);
    BuildContext stem = ctx.child("stem");
    Operand<TFloat32> x = new Conv2d(dims.get(0), patch, patch, Padding.VALID, 1, true, INIT)
        .applyWithField(stem.child("conv"), images, field);
    x = NORM.apply(stem.child("norm"), x);
    int total = depths.stream().mapToInt(Integer::intValue).sum();
    int block = 0;
    for (int s = 0; s < 4; s++) {
      BuildContext stage = ctx.child("stage" + (s + 1));
      if (s > 0) {
        BuildContext down = stage.child("downsample");
        x = NORM.apply(down.child("norm"), x);
        x = new Conv2d(dims.get(s), 2, 2, Padding.VALID, 1, true, INIT).apply(down.child("conv"), x);
      }
      for (int b = 0; b < depths.get(s); b++) {
        float dropPath = total == 1 ? 0f : (float) (dropPathRate * block / (total - 1.0));
        x = hook.beforeBlock(block, x);
        x = block(stage.child("block" + (b + 1)), x, dims.get(s), new DropPath(dropPath));
        x = hook.afterBlock(block++, x);
      }
    }
    return hook.features(NORM.apply(ctx.child("head_norm"), Pooling.globalAverage(ctx.tf(), x)));
  }

  private Operand<TFloat32> block(BuildContext ctx, Operand<TFloat32> x, int dim, DropPath drop) {
    Ops tf = ctx.tf();
    long height = x.shape().get(1);
    long width = x.shape().get(2);
    Operand<TFloat32> y = new DepthwiseConv2d(kernel, 1, 1, 1, true).apply(ctx.child("conv_dw"), x);
    y = NORM.apply(ctx.child("norm"), y);
    Operand<TFloat32> tokens = tf.reshape(y, tf.constant(new long[] {-1, height * width, dim}));
    tokens = new GeluMlp((int) (mlpRatio * dim), 0f, INIT).apply(ctx.child("mlp"), tokens);
    y = tf.reshape(tokens, tf.constant(new long[] {-1, height, width, dim}));
    Operand<TFloat32> gamma = ctx.weight("layer_scale", Shape.of(dim), Init.constant(layerScaleInit), Decay.NOT_DECAYED)
        .variable();
    return tf.math.add(x, drop.apply(ctx, tf.math.mul(y, gamma)));
  }

  @Override
  public WeightMapping timmWeights() {
    return ConvNeXtWeights.timm(this, true);
  }

  @Override
  public int featureWidth() {
    return dims.get(3);
  }

  @Override
  public int blockCount() {
    return depths.stream().mapToInt(Integer::intValue).sum();
  }

  @Override
  public Init headInit() {
    return INIT;
  }
}

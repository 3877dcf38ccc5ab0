package dev.vprompt.graph.backbones;

import dev.vprompt.graph.BlockHook;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Decay;
import dev.vprompt.ops.Init;
import dev.vprompt.ops.Shapes;
import dev.vprompt.ops.layers.BatchNorm;
import dev.vprompt.ops.layers.Pooling;
import dev.vprompt.ops.weights.Conversion;
import dev.vprompt.ops.weights.WeightMapping;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.types.TFloat32;

/**
 * The ImageNet ResNet of "Deep Residual Learning for Image Recognition" (He et al., arXiv:1512.03385) in
 * torchvision's layout, which timm's {@code ResNet} shares name for name: a 7x7/2 stem convolution (64
 * channels) with batch norm and ReLU, a 3x3/2 max-pool, four stages (strides 1, 2, 2, 2) of BasicBlocks
 * (ResNet-18, -34) or Bottlenecks with expansion 4 and the stride on the 3x3 (ResNet-50, "ResNet v1.5"),
 * a 1x1 convolution + batch norm shortcut where the shape changes, global average pooling. Batch-norm eps
 * 1e-5. Convolutions pad symmetrically as PyTorch's {@code padding=k//2} (TensorFlow's SAME pads
 * asymmetrically at stride 2). Not the CIFAR {@code resnet18}: that one has a 3x3 stem and no max-pool.
 */
public record ImageNetResNet(String name, boolean bottleneck, List<Integer> layers, List<Integer> channels)
    implements Pretrained {

  public static final String FAMILY = "resnet";
  public static final List<String> VARIANTS = List.of("resnet18-in", "resnet34-in", "resnet50-in");
  static final List<String> SETTINGS = List.of("block", "layers", "channels");
  private static final int STEM = 64;
  private static final List<Integer> WIDTHS = List.of(64, 128, 256, 512);

  public ImageNetResNet {
    layers = List.copyOf(layers);
    channels = List.copyOf(channels);
    if (layers.size() != 4 || channels.size() != 4 || layers.stream().anyMatch(n -> n < 1)
        || channels.stream().anyMatch(c -> c < 1)) {
      throw new IllegalArgumentException(name + ": needs four stages of at least one block and positive widths, got "
          + layers + " blocks of " + channels);
    }
  }

  public static ImageNetResNet variant(String name) {
    return switch (name) {
      case "resnet18-in" -> new ImageNetResNet(name, false, List.of(2, 2, 2, 2), WIDTHS);
      case "resnet34-in" -> new ImageNetResNet(name, false, List.of(3, 4, 6, 3), WIDTHS);
      case "resnet50-in" -> new ImageNetResNet(name, true, List.of(3, 4, 6, 3), WIDTHS);
      default -> throw new IllegalArgumentException("unknown ImageNet ResNet '" + name + "'; known: " + VARIANTS);
    };
  }

  /** {@code resnet(block=basic|bottleneck,layers=a-b-c-d[,channels=w-x-y-z])}. */
  public static ImageNetResNet of(BackboneSpec spec) {
    spec.requireKeys(SETTINGS);
    String block = spec.text("block", "");
    if (!block.equals("basic") && !block.equals("bottleneck")) {
      throw new IllegalArgumentException("resnet backbone needs block=basic or block=bottleneck");
    }
    List<Integer> layers = spec.integers("layers", null);
    if (layers == null) {
      throw new IllegalArgumentException("resnet backbone needs layers=a-b-c-d (blocks per stage)");
    }
    List<Integer> channels = spec.integers("channels", WIDTHS);
    return new ImageNetResNet(specOf(block.equals("bottleneck"), layers, channels), block.equals("bottleneck"),
        layers, channels);
  }

  public static String specOf(boolean bottleneck, List<Integer> layers, List<Integer> channels) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("block", bottleneck ? "bottleneck" : "basic");
    values.put("layers", BackboneSpec.dashed(layers));
    if (!channels.equals(WIDTHS)) {
      values.put("channels", BackboneSpec.dashed(channels));
    }
    return BackboneSpec.format(FAMILY, values);
  }

  private int expansion() {
    return bottleneck ? 4 : 1;
  }

  @Override
  public Features forward(
      BuildContext ctx, Operand<TFloat32> images, Operand<TFloat32> field, BlockHook prompt) {
    BlockTrace hook = new BlockTrace(prompt);
    Ops tf = ctx.tf();
    BuildContext stem = ctx.child("stem");
    Operand<TFloat32> x = conv(stem.child("conv"), images, field, STEM, 7, 2);
    x = tf.nn.relu(BatchNorm.DEFAULT.apply(stem.child("bn"), x));
    // MaxPool2d(3, 2, padding=1) pads with -inf; after a ReLU every value is >= 0 and every window holds
    // one, so zero padding takes the same maxima
    x = tf.pad(x, tf.constant(new int[][] {{0, 0}, {1, 1}, {1, 1}, {0, 0}}), tf.constant(0f));
    x = Pooling.max(tf, x, 3, 2);
    int hooked = 0;
    for (int s = 0; s < 4; s++) {
      BuildContext stage = ctx.child("stage" + (s + 1));
      for (int b = 0; b < layers.get(s); b++) {
        int stride = (s > 0 && b == 0) ? 2 : 1;
        x = hook.beforeBlock(hooked, x);
        BuildContext block = stage.child("block" + (b + 1));
        x = bottleneck ? bottleneckBlock(block, x, channels.get(s), stride) : basicBlock(block, x, channels.get(s), stride);
        x = hook.afterBlock(hooked++, x);
      }
    }
    return hook.features(Pooling.globalAverage(tf, x));
  }

  private static Operand<TFloat32> basicBlock(BuildContext ctx, Operand<TFloat32> x, int width, int stride) {
    Ops tf = ctx.tf();
    Operand<TFloat32> y = conv(ctx.child("conv1"), x, null, width, 3, stride);
    y = tf.nn.relu(BatchNorm.DEFAULT.apply(ctx.child("bn1"), y));
    y = BatchNorm.DEFAULT.apply(ctx.child("bn2"), conv(ctx.child("conv2"), y, null, width, 3, 1));
    return tf.nn.relu(tf.math.add(y, shortcut(ctx, x, width, stride)));
  }

  /** 1x1 -> 3x3 (with the stride, as torchvision and timm) -> 1x1 to 4 x width. */
  private static Operand<TFloat32> bottleneckBlock(BuildContext ctx, Operand<TFloat32> x, int width, int stride) {
    Ops tf = ctx.tf();
    Operand<TFloat32> y = tf.nn.relu(BatchNorm.DEFAULT.apply(ctx.child("bn1"), conv(ctx.child("conv1"), x, null, width, 1, 1)));
    y = tf.nn.relu(BatchNorm.DEFAULT.apply(ctx.child("bn2"), conv(ctx.child("conv2"), y, null, width, 3, stride)));
    y = BatchNorm.DEFAULT.apply(ctx.child("bn3"), conv(ctx.child("conv3"), y, null, 4 * width, 1, 1));
    return tf.nn.relu(tf.math.add(y, shortcut(ctx, x, 4 * width, stride)));
  }

  private static Operand<TFloat32> shortcut(BuildContext ctx, Operand<TFloat32> x, int out, int stride) {
    if (stride == 1 && Shapes.staticDim(x, 3, "resnet block " + ctx.prefix()) == out) {
      return x;
    }
    BuildContext projection = ctx.child("shortcut");
    return BatchNorm.DEFAULT.apply(projection.child("bn"), conv(projection.child("conv"), x, null, out, 1, stride));
  }

  /**
   * A bias-free k x k convolution padded by k / 2 on every side (PyTorch's), kernel {@code [k, k, in, out]};
   * with a field, {@code conv(x) + conv(field)} (see {@link Backbone#features}).
   */
  private static Operand<TFloat32> conv(
      BuildContext ctx, Operand<TFloat32> x, Operand<TFloat32> field, int out, int k, int stride) {
    Shapes.requireRank(x, 4, "conv " + ctx.prefix());
    int in = Shapes.staticDim(x, 3, "conv " + ctx.prefix());
    Ops tf = ctx.tf();
    Operand<TFloat32> w = ctx.weight("kernel", Shape.of(k, k, in, out), Init.kaimingNormalFanOut(), Decay.DECAYED).variable();
    long p = k / 2;
    List<Long> strides = List.of(1L, (long) stride, (long) stride, 1L);
    Conv2d.Options padding = Conv2d.explicitPaddings(List.of(0L, 0L, p, p, p, p, 0L, 0L));
    String mode = p == 0 ? "VALID" : "EXPLICIT";
    Operand<TFloat32> y = p == 0 ? tf.nn.conv2d(x, w, strides, mode) : tf.nn.conv2d(x, w, strides, mode, padding);
    if (field != null) {
      Operand<TFloat32> f = p == 0 ? tf.nn.conv2d(field, w, strides, mode) : tf.nn.conv2d(field, w, strides, mode, padding);
      y = tf.math.add(y, f);
    }
    return y;
  }

  @Override
  public int featureWidth() {
    return channels.get(3) * expansion();
  }

  @Override
  public int blockCount() {
    return layers.stream().mapToInt(Integer::intValue).sum();
  }

  /** PyTorch's default {@code nn.Linear} init for the kernel: U(-1/sqrt(in), 1/sqrt(in)). */
  @Override
  public Init headInit() {
    float bound = (float) (1 / Math.sqrt(featureWidth()));
    return Init.uniform(-bound, bound);
  }

  /** torchvision's names, which timm's ResNet keeps: conv1, bn1, layerS.B.convN / bnN / downsample.0-1, fc. */
  @Override
  public WeightMapping timmWeights() {
    WeightMapping.Builder map = WeightMapping.builder()
        .map("backbone.stem.conv.kernel", "conv1.weight", Conversion.convAdaptingInputChannels())
        .batchNorm("backbone.stem.bn", "bn1");
    int inWidth = STEM;
    for (int s = 0; s < 4; s++) {
      int out = channels.get(s) * expansion();
      for (int b = 0; b < layers.get(s); b++) {
        String to = "backbone.stage" + (s + 1) + ".block" + (b + 1);
        String from = "layer" + (s + 1) + "." + b;
        for (int c = 1; c <= (bottleneck ? 3 : 2); c++) {
          map.conv(to + ".conv" + c, from + ".conv" + c).batchNorm(to + ".bn" + c, from + ".bn" + c);
        }
        int stride = (s > 0 && b == 0) ? 2 : 1;
        if (stride != 1 || inWidth != out) {
          map.conv(to + ".shortcut.conv", from + ".downsample.0").batchNorm(to + ".shortcut.bn", from + ".downsample.1");
        }
        inWidth = out;
      }
    }
    return map.linear("head", "fc").build();
  }
}

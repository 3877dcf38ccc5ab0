package dev.vprompt.train.pipeline;

import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Shapes;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ImageProjectiveTransformV3;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Training-time augmentation inside the graph, on {@code [B, H, W, C]} images scaled to [0, 1]: random
 * crop of the original size from the image zero-padded by {@code cropPadding}, random rotation by up
 * to {@code maxRotationDegrees} (nearest neighbour, zero fill, as torchvision's RandomRotation), and a
 * random horizontal flip. Every draw comes from stateless random ops seeded by the step seed, so a
 * step's augmentation depends only on (seed, step): a resumed run draws the same crops.
 */
public record Augmentation(int cropPadding, float maxRotationDegrees, boolean horizontalFlip, BatchMix mix) {

  public static final Augmentation NONE = new Augmentation(0, 0f, false);
  /** MNIST and Fashion-MNIST in the MSVP reference code: RandomCrop(28, padding=4), RandomRotation(10). */
  public static final Augmentation DIGITS = new Augmentation(4, 10f, false);
  /** CIFAR in the MSVP reference code: RandomCrop(32, padding=4), RandomHorizontalFlip(). */
  public static final Augmentation NATURAL = new Augmentation(4, 0f, true);

  /** Per-image augmentation only. */
  public Augmentation(int cropPadding, float maxRotationDegrees, boolean horizontalFlip) {
    this(cropPadding, maxRotationDegrees, horizontalFlip, BatchMix.NONE);
  }

  public Augmentation {
    java.util.Objects.requireNonNull(mix, "mix");
    if (cropPadding < 0 || maxRotationDegrees < 0 || maxRotationDegrees > 180) {
      throw new IllegalArgumentException("invalid augmentation " + cropPadding + ", " + maxRotationDegrees);
    }
  }

  /** The suffix of {@code --augment} that adds InsVP's Mixup / CutMix, e.g. {@code natural+mix}. */
  public static final String MIX_SUFFIX = "+mix";

  /**
   * {@code auto} picks the paper's augmentation for the dataset: DIGITS for MNIST-like grey images,
   * NATURAL for colour images (CIFAR); {@code none} turns it off. A {@code +mix} suffix adds
   * {@link BatchMix#INSVP}.
   */
  public static Augmentation choose(String mode, String datasetKind, int channels) {
    String name = mode.toLowerCase(Locale.ROOT).trim();
    if (name.endsWith(MIX_SUFFIX)) {
      Augmentation perImage = choose(name.substring(0, name.length() - MIX_SUFFIX.length()), datasetKind, channels);
      return new Augmentation(perImage.cropPadding, perImage.maxRotationDegrees, perImage.horizontalFlip,
          BatchMix.INSVP);
    }
    return switch (name) {
      case "none" -> NONE;
      case "auto" -> switch (datasetKind) {
        case "mnist", "fashion-mnist" -> DIGITS;
        case "cifar10", "cifar100" -> NATURAL;
        default -> channels == 1 ? DIGITS : NATURAL;
      };
      case "digits" -> DIGITS;
      case "natural" -> NATURAL;
      default -> throw new IllegalArgumentException(
          "unknown augmentation '" + mode + "'; known: auto, none, digits, natural, each optionally with "
              + MIX_SUFFIX + " (InsVP's mixup / cutmix)");
    };
  }

  public String describe() {
    if (!mix.active()) {
      return describeImages();
    }
    return (cropPadding == 0 && maxRotationDegrees == 0 && !horizontalFlip ? "" : describeImages() + " + ")
        + mix.describe();
  }

  private String describeImages() {
    if (cropPadding == 0 && maxRotationDegrees == 0 && !horizontalFlip) {
      return "none";
    }
    StringBuilder text = new StringBuilder();
    if (cropPadding > 0) {
      text.append("random crop (padding ").append(cropPadding).append(')');
    }
    if (maxRotationDegrees > 0) {
      text.append(text.isEmpty() ? "" : " + ").append("rotation up to ").append(maxRotationDegrees).append(" deg");
    }
    if (horizontalFlip) {
      text.append(text.isEmpty() ? "" : " + ").append("horizontal flip");
    }
    return text.toString();
  }

  /**
   * Applies the augmentation in training mode; the identity otherwise. Crop, rotation and flip compose
   * into one affine map per image, sampled once with {@code ImageProjectiveTransformV3} (nearest, zero
   * fill): a zero-padded crop is a translation by (offset - padding), at a fraction of the cost of three
   * passes. It is not exactly torchvision's crop, then rotate: there the crop first cuts away the image
   * beyond its window, and the rotation brings in zeros where it turns those corners into view; the one
   * map shows the image's own pixels there instead. The two agree wherever the rotated window stays
   * inside the crop, and everywhere for images whose border pixels are 0 (most MNIST and Fashion-MNIST
   * digits and garments); they differ at non-black borders (CIFAR, with rotation on).
   */
  public Operand<TFloat32> apply(BuildContext ctx, Operand<TFloat32> images) {
    if (!ctx.training() || (cropPadding == 0 && maxRotationDegrees == 0 && !horizontalFlip)) {
      return images;
    }
    Shapes.requireRank(images, 4, "augmentation");
    Ops tf = ctx.tf();
    int height = Shapes.staticDim(images, 1, "augmentation");
    int width = Shapes.staticDim(images, 2, "augmentation");
    Operand<TInt32> batch = batchSize(tf, images);
    Operand<TFloat32> zero = tf.fill(batch, tf.constant(0f));
    // draws in a fixed order (rows, columns, angle, flip) so that each has its own seed
    Operand<TFloat32> ty = cropPadding > 0 ? shift(ctx, batch) : zero;
    Operand<TFloat32> tx = cropPadding > 0 ? shift(ctx, batch) : zero;
    Operand<TFloat32> angle = maxRotationDegrees > 0 ? angle(ctx, batch) : zero;
    Operand<TFloat32> sign = horizontalFlip ? flipSign(ctx, batch) : tf.fill(batch, tf.constant(1f));

    // output (x, y) samples input R(theta) diag(sign, 1) ((x, y) - c) + c + (tx, ty)
    float cx = (width - 1) / 2f;
    float cy = (height - 1) / 2f;
    Operand<TFloat32> cos = tf.math.cos(angle);
    Operand<TFloat32> sin = tf.math.sin(angle);
    Operand<TFloat32> a0 = tf.math.mul(sign, cos);
    Operand<TFloat32> a1 = tf.math.neg(sin);
    Operand<TFloat32> b0 = tf.math.mul(sign, sin);
    Operand<TFloat32> b1 = cos;
    Operand<TFloat32> a2 = tf.math.add(tf.math.sub(tf.math.add(tf.constant(cx), tx), tf.math.mul(a0, tf.constant(cx))),
        tf.math.mul(sin, tf.constant(cy)));
    Operand<TFloat32> b2 = tf.math.sub(tf.math.sub(tf.math.add(tf.constant(cy), ty), tf.math.mul(b0, tf.constant(cx))),
        tf.math.mul(cos, tf.constant(cy)));
    Operand<TFloat32> transforms = tf.stack(List.of(a0, a1, a2, b0, b1, b2, zero, zero),
        org.tensorflow.op.core.Stack.axis(1L));
    return tf.image.imageProjectiveTransformV3(images, transforms, tf.constant(new int[] {height, width}),
        tf.constant(0f), "NEAREST", ImageProjectiveTransformV3.fillMode("CONSTANT"));
  }

  private static Operand<TInt32> batchSize(Ops tf, Operand<TFloat32> x) {
    return tf.reshape(tf.stridedSlice(tf.shape(x), org.tensorflow.ndarray.index.Indices.at(0)),
        tf.constant(new int[] {1}));
  }

  /** A crop offset uniform in [0, 2p], as a translation in [-p, p] of the unpadded image. */
  private Operand<TFloat32> shift(BuildContext ctx, Operand<TInt32> batch) {
    Ops tf = ctx.tf();
    Operand<TInt32> offset = ctx.randomUniformInt(batch, 0, 2 * cropPadding + 1);
    return tf.dtypes.cast(tf.math.sub(offset, tf.constant(cropPadding)), TFloat32.class);
  }

  /** An angle uniform in [-max, max] radians. */
  private Operand<TFloat32> angle(BuildContext ctx, Operand<TInt32> batch) {
    Ops tf = ctx.tf();
    float limit = (float) Math.toRadians(maxRotationDegrees);
    Operand<TFloat32> uniform = ctx.randomUniform(batch);
    return tf.math.sub(tf.math.mul(uniform, tf.constant(2 * limit)), tf.constant(limit));
  }

  /** -1 (mirror) or +1, each with probability one half. */
  private Operand<TFloat32> flipSign(BuildContext ctx, Operand<TInt32> batch) {
    Ops tf = ctx.tf();
    Operand<TFloat32> uniform = ctx.randomUniform(batch);
    Operand<TBool> flip = tf.math.less(uniform, tf.constant(0.5f));
    return tf.select(flip, tf.fill(batch, tf.constant(-1f)), tf.fill(batch, tf.constant(1f)));
  }
}

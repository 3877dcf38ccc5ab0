package dev.vprompt.train.pipeline;

import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Shapes;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Mixup and CutMix with label smoothing, per batch, as timm's {@code Mixup} in {@code mode='batch'}
 * (the augmentation InsVP's released scripts switch on): with probability {@code prob} a batch is mixed
 * with itself reversed ({@code x.flip(0)}); CutMix (with probability {@code switchProb} when both alphas
 * are positive) pastes one box of the partner image, Mixup blends the two with {@code lam ~ Beta(alpha,
 * alpha)}. Targets become soft: {@code lam * smooth(y) + (1 - lam) * smooth(y.flip(0))}, with CutMix's
 * {@code lam} corrected to the box's true area. Smoothing applies to every batch, mixed or not.
 *
 * <p>Deviation: the InsVP trainer drops the last image of an odd batch before mixing; here the middle
 * image of an odd batch is its own partner, so it stays unmixed with a smoothed target.
 *
 * @param mixupAlpha Beta concentration for Mixup; 0 turns Mixup off
 * @param cutmixAlpha Beta concentration for CutMix; 0 turns CutMix off
 */
public record BatchMix(double mixupAlpha, double cutmixAlpha, double prob, double switchProb,
    double labelSmoothing) {

  public static final BatchMix NONE = new BatchMix(0, 0, 0, 0, 0);
  /**
   * InsVP's {@code train/trainer.py}: {@code Mixup(mixup_alpha=0.8, cutmix_alpha=args.cutmix_alpha,
   * prob=0.5, switch_prob=0.5, mode='batch', label_smoothing=0.1)} with {@code cutmix_alpha=1.0} in every
   * {@code sh/*.sh}, and {@code SoftTargetCrossEntropy}.
   */
  public static final BatchMix INSVP = new BatchMix(0.8, 1.0, 0.5, 0.5, 0.1);

  public BatchMix {
    if (!(mixupAlpha >= 0 && cutmixAlpha >= 0 && prob >= 0 && prob <= 1 && switchProb >= 0 && switchProb <= 1
        && labelSmoothing >= 0 && labelSmoothing < 1)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "invalid mix (mixup %s, cutmix %s, prob %s, switch %s, smoothing %s)", mixupAlpha, cutmixAlpha, prob,
          switchProb, labelSmoothing));
    }
  }

  /** Whether this changes images or targets at all. */
  public boolean active() {
    return labelSmoothing > 0 || (prob > 0 && (mixupAlpha > 0 || cutmixAlpha > 0));
  }

  public String describe() {
    return String.format(Locale.ROOT, "mixup %s / cutmix %s (prob %s, switch %s), label smoothing %s", mixupAlpha,
        cutmixAlpha, prob, switchProb, labelSmoothing);
  }

  /** Mixed images and their soft targets. */
  public record Mixed(Operand<TFloat32> images, Operand<TFloat32> targets) {}

  /**
   * Mixes a batch (or a tower's rows of it) with its partners.
   *
   * @param images {@code [B, H, W, C]}, augmented
   * @param partners the partner of each row, already in row order ({@code images} reversed on one device)
   * @param labels and {@code partnerLabels}: {@code [B]} class indices
   */
  public Mixed apply(BuildContext ctx, Operand<TFloat32> images, Operand<TFloat32> partners,
      Operand<TInt32> labels, Operand<TInt32> partnerLabels, int classes) {
    Ops tf = ctx.tf();
    Shapes.requireRank(images, 4, "mix");
    int height = Shapes.staticDim(images, 1, "mix");
    int width = Shapes.staticDim(images, 2, "mix");
    // per-batch draws in a fixed order: apply?, cutmix?, box centre (row, column); then the two Betas
    Operand<TFloat32> u = ctx.randomUniformShared(Shape.of(4));
    Operand<TFloat32> gammas = ctx.randomGammaShared(Shape.of(2, 2),
        tf.constant(new float[] {positive(mixupAlpha), positive(cutmixAlpha)}));
    Operand<TFloat32> lamMixup = beta(tf, gammas, 0);
    Operand<TFloat32> lamCutmix = beta(tf, gammas, 1);

    Operand<TBool> mixed = tf.math.less(element(tf, u, 0), tf.constant((float) prob));
    Operand<TBool> cutmix = cutmixAlpha <= 0 ? tf.constant(false)
        : mixupAlpha <= 0 ? tf.constant(true) : tf.math.less(element(tf, u, 1), tf.constant((float) switchProb));
    if (mixupAlpha <= 0 && cutmixAlpha <= 0) {
      mixed = tf.constant(false);
    }
    Operand<TBool> boxed = tf.math.logicalAnd(mixed, cutmix);
    Operand<TBool> blended = tf.math.logicalAnd(mixed, tf.math.logicalNot(cutmix));

    // timm's rand_bbox: sides int(side * sqrt(1 - lam)), centre uniform over the image, clipped
    Operand<TFloat32> ratio = tf.math.sqrt(tf.math.sub(tf.constant(1f), lamCutmix));
    Box rows = box(tf, ratio, element(tf, u, 2), height);
    Box cols = box(tf, ratio, element(tf, u, 3), width);
    Operand<TFloat32> area = tf.math.mul(rows.length(tf), cols.length(tf));
    Operand<TFloat32> lamBox = tf.math.sub(tf.constant(1f), tf.math.div(area, tf.constant((float) height * width)));
    Operand<TFloat32> boxMask = tf.reshape(
        tf.math.mul(tf.reshape(rows.mask(tf, height), tf.constant(new int[] {height, 1})),
            tf.reshape(cols.mask(tf, width), tf.constant(new int[] {1, width}))),
        tf.constant(new int[] {1, height, width, 1}));

    Operand<TFloat32> zero = tf.constant(0f);
    // the partner's weight per pixel: the box under CutMix, 1 - lam under Mixup, 0 for an unmixed batch
    Operand<TFloat32> partnerWeight = tf.select(boxed, boxMask,
        tf.select(blended, tf.math.sub(tf.constant(1f), lamMixup), zero));
    Operand<TFloat32> out = tf.math.add(tf.math.mul(images, tf.math.sub(tf.constant(1f), partnerWeight)),
        tf.math.mul(partners, partnerWeight));
    Operand<TFloat32> lam = tf.select(boxed, lamBox, tf.select(blended, lamMixup, tf.constant(1f)));

    Operand<TFloat32> own = smoothed(tf, labels, classes);
    Operand<TFloat32> other = smoothed(tf, partnerLabels, classes);
    Operand<TFloat32> targets = tf.math.add(tf.math.mul(own, lam), tf.math.mul(other, tf.math.sub(tf.constant(1f), lam)));
    return new Mixed(out, targets);
  }

  /** timm's one_hot with {@code off = smoothing / K} and {@code on = 1 - smoothing + off}. */
  private Operand<TFloat32> smoothed(Ops tf, Operand<TInt32> labels, int classes) {
    float off = (float) (labelSmoothing / classes);
    float on = (float) (1 - labelSmoothing) + off;
    return tf.oneHot(labels, tf.constant(classes), tf.constant(on), tf.constant(off));
  }

  /** An alpha the gamma kernel accepts; a disabled branch's draws are never selected. */
  private static float positive(double alpha) {
    return alpha > 0 ? (float) alpha : 1f;
  }

  /** Beta(a, a) from two Gamma(a) draws: {@code g0 / (g0 + g1)}. */
  private static Operand<TFloat32> beta(Ops tf, Operand<TFloat32> gammas, int column) {
    Operand<TFloat32> g0 = tf.stridedSlice(gammas, Indices.at(0), Indices.at(column));
    Operand<TFloat32> g1 = tf.stridedSlice(gammas, Indices.at(1), Indices.at(column));
    return tf.math.div(g0, tf.math.add(g0, g1));
  }

  private static Operand<TFloat32> element(Ops tf, Operand<TFloat32> vector, int index) {
    return tf.stridedSlice(vector, Indices.at(index));
  }

  /** One side of the box, {@code [low, high)} in pixels (as floats holding integers). */
  private record Box(Operand<TFloat32> low, Operand<TFloat32> high) {
    Operand<TFloat32> length(Ops tf) {
      return tf.math.sub(high, low);
    }

    /** {@code [side]}: 1 inside the box. */
    Operand<TFloat32> mask(Ops tf, int side) {
      Operand<TFloat32> index = tf.range(tf.constant(0f), tf.constant((float) side), tf.constant(1f));
      return tf.dtypes.cast(tf.math.logicalAnd(tf.math.greaterEqual(index, low), tf.math.less(index, high)),
          TFloat32.class);
    }
  }

  /**
   * {@code cut = int(side * ratio)}, {@code centre = randint(0, side)}, {@code [clip(centre - cut // 2),
   * clip(centre + cut // 2))}.
   */
  private static Box box(Ops tf, Operand<TFloat32> ratio, Operand<TFloat32> uniform, int side) {
    Operand<TFloat32> cut = tf.math.floor(tf.math.mul(ratio, tf.constant((float) side)));
    Operand<TFloat32> half = tf.math.floor(tf.math.div(cut, tf.constant(2f)));
    Operand<TFloat32> centre = tf.math.floor(tf.math.mul(uniform, tf.constant((float) side)));
    Operand<TFloat32> zero = tf.constant(0f);
    Operand<TFloat32> limit = tf.constant((float) side);
    Operand<TFloat32> low = tf.math.minimum(tf.math.maximum(tf.math.sub(centre, half), zero), limit);
    Operand<TFloat32> high = tf.math.minimum(tf.math.maximum(tf.math.add(centre, half), zero), limit);
    return new Box(low, high);
  }
}

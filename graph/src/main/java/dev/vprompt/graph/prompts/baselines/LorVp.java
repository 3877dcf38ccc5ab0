package dev.vprompt.graph.prompts.baselines;

import dev.vprompt.graph.prompts.Contribution;
import dev.vprompt.graph.prompts.LayeredPrompt;
import dev.vprompt.graph.prompts.PromptLayer;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Shapes;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * LoR-VP (Jin et al., ICLR 2025), LoTeP's strongest input-space baseline: per input channel a rank-r
 * prompt {@code B [H, r] A [r, W]} ({@link LowRankMaps}; B zero, A ~ N(0, 0.01), r = 4), added to the
 * [0, 1] image before normalisation, as the reference code does. {@link #apply} receives the normalised
 * image, so it adds {@code P / std_c} per channel: {@code (x + P - mean) / std = norm(x) + P / std}.
 * Without normalisation statistics (parameter counts, benchmarks) std is taken as 1.
 */
public final class LorVp implements LayeredPrompt {

  public static final String NAME = "lor-vp";
  public static final int DEFAULT_RANK = 4;

  private final int rank;
  private final float[] normStd;

  /**
   * @param normStd the per-channel std of the model's normalisation, or null for 1
   */
  public LorVp(int rank, float[] normStd) {
    if (rank < 1) {
      throw new IllegalArgumentException("lor-vp's rank must be at least 1, got " + rank);
    }
    if (normStd != null) {
      for (float s : normStd) {
        if (!(s > 0f) || Float.isInfinite(s)) {
          throw new IllegalArgumentException("lor-vp needs positive normalisation stds, got " + Arrays.toString(normStd));
        }
      }
    }
    this.rank = rank;
    this.normStd = normStd == null ? null : normStd.clone();
  }

  public static LorVp defaults() {
    return new LorVp(DEFAULT_RANK, null);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** {@code x + F} with F independent of the image: built once as {@code apply(0)}. */
  @Override
  public Contribution build(BuildContext ctx, Operand<TFloat32> images, Backbone backbone) {
    return Contribution.additive(ctx, images, this::apply);
  }

  public int rank() {
    return rank;
  }

  public boolean additiveConstant() {
    return true;
  }

  @Override
  public void validate(InputSpec input, Backbone backbone) {
    if (normStd != null && normStd.length != input.channels()) {
      throw new IllegalArgumentException("lor-vp has " + normStd.length + " normalisation stds for "
          + input.channels() + " channels");
    }
  }

  public Operand<TFloat32> apply(BuildContext ctx, Operand<TFloat32> images) {
    Shapes.requireRank(images, 4, NAME);
    int height = Shapes.staticDim(images, 1, NAME);
    int width = Shapes.staticDim(images, 2, NAME);
    int channels = Shapes.staticDim(images, 3, NAME);
    validate(new InputSpec(height, width, channels), null);
    BuildContext lor = ctx.child(NAME);
    Ops tf = lor.tf();
    Operand<TFloat32> prompt = LowRankMaps.dense(lor, channels, height, width, rank);
    return tf.math.add(images, tf.math.mul(prompt, tf.constant(inverseStd(channels))));
  }

  private float[] inverseStd(int channels) {
    float[] inverse = new float[channels];
    for (int c = 0; c < channels; c++) {
      inverse[c] = normStd == null ? 1f : 1f / normStd[c];
    }
    return inverse;
  }

  @Override
  public List<PromptLayer> layers(InputSpec input, Backbone backbone) {
    return List.of(new PromptLayer(PromptLayer.INPUT, input.channels(), input.height(), input.width(), rank,
        LowRankMaps.parameterCount(input.channels(), input.height(), input.width(), rank)));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LorVp that && rank == that.rank && Arrays.equals(normStd, that.normStd);
  }

  @Override
  public int hashCode() {
    return 31 * rank + Arrays.hashCode(normStd);
  }

  @Override
  public String toString() {
    return "LorVp[rank=" + rank + ", normStd=" + Arrays.toString(normStd) + "]";
  }
}

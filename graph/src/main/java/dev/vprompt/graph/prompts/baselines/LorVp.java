package dev.vprompt.graph.prompts.baselines;

import dev.vprompt.graph.prompts.PromptLayer;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.ops.BuildContext;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * LoR-VP (Jin et al., ICLR 2025), LoTeP's strongest input-space baseline: per input channel a rank-r
 * prompt {@code B [H, r] A [r, W]} ({@link LowRankMaps}; B zero, A ~ N(0, 0.01), r = 4), added to the
 * [0, 1] image before normalisation, as the reference code does. {@link #apply} receives the normalised
 * image, so it adds {@code P / std_c} per channel: {@code (x + P - mean) / std = norm(x) + P / std}.
 * Without normalisation statistics (parameter counts, benchmarks) std is taken as 1.
 */
public final class LorVp implements FieldPrompt {

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

  public int rank() {
    return rank;
  }

  @Override
  public void validate(InputSpec input, Backbone backbone) {
    if (normStd != null && normStd.length != input.channels()) {
      throw new IllegalArgumentException("lor-vp has " + normStd.length + " normalisation stds for "
          + input.channels() + " channels");
    }
  }

  /** {@code P / std} per channel. */
  @Override
  public Operand<TFloat32> field(BuildContext ctx, InputSpec input) {
    Operand<TFloat32> prompt = LowRankMaps.dense(ctx, input.channels(), input.height(), input.width(), rank);
    return ctx.tf().math.mul(prompt, ctx.tf().constant(inverseStd(input.channels())));
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

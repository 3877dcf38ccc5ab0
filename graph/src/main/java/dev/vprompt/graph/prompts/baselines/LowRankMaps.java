package dev.vprompt.graph.prompts.baselines;

import dev.vprompt.ops.Decay;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Init;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * LoR-VP's prompt (Jin et al., ICLR 2025): one rank-r matrix per channel map, {@code P[c] = B[c] A[c]}
 * with {@code b [C, H, r]} zero-initialised and {@code a [C, r, W]} drawn from N(0, 0.01), as the
 * reference code's {@code init_method='zero,normal'}. Built dense as {@code [H, W, C]}.
 */
final class LowRankMaps {
  static final float A_INIT_STD = 0.01f;

  private LowRankMaps() {}

  static Operand<TFloat32> dense(BuildContext ctx, int channels, int height, int width, int rank) {
    Operand<TFloat32> b = ctx.weight("b", Shape.of(channels, height, rank), Init.zeros(), Decay.NOT_DECAYED).variable();
    Operand<TFloat32> a = ctx.weight("a", Shape.of(channels, rank, width), Init.normal(A_INIT_STD), Decay.NOT_DECAYED).variable();
    return ctx.tf().linalg.einsum(List.of(b, a), "chr,crw->hwc");
  }

  /** {@code C r (H + W)}. */
  static long parameterCount(int channels, int height, int width, int rank) {
    return (long) channels * rank * (height + width);
  }
}

package dev.vprompt.graph.prompts.lotep;

import dev.vprompt.ops.Decay;
import dev.vprompt.graph.prompts.BlockInput;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Init;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * A tensor of CP rank r, the LoTeP paper eqs. 6-7: {@code P[i,j,k] = sum_t a[t,i] b[t,j] c[t,k]} with the
 * channel factor {@code a [r, C]} zero-initialised (so P = 0 at step 0) and the spatial factors {@code b
 * [r, H]}, {@code c [r, W]} drawn from N(0, initStd). Built dense as {@code [H, W, C]}.
 */
final class CpTensor {
  private CpTensor() {}

  static Operand<TFloat32> dense(BuildContext ctx, BlockInput site, int rank, float initStd) {
    var tf = ctx.tf();
    Operand<TFloat32> a = ctx.weight("a", Shape.of(rank, site.channels()), Init.zeros(), Decay.NOT_DECAYED).variable();
    Operand<TFloat32> b = ctx.weight("b", Shape.of(rank, site.height()), Init.normal(initStd), Decay.NOT_DECAYED).variable();
    Operand<TFloat32> c = ctx.weight("c", Shape.of(rank, site.width()), Init.normal(initStd), Decay.NOT_DECAYED).variable();
    Operand<TFloat32> spatial = tf.linalg.einsum(List.of(b, c), "th,tw->thw");
    return tf.linalg.einsum(List.of(spatial, a), "thw,tc->hwc");
  }

  /** {@code r (C + H + W)}. */
  static long parameterCount(BlockInput site, int rank) {
    return (long) rank * (site.channels() + site.height() + site.width());
  }
}

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
 * A tensor of Tucker rank [r, r, r], the LoTeP paper eqs. 4-5: {@code P = core x1 U x2 V x3 W}, i.e. {@code
 * P[i,j,k] = sum_{t1,t2,t3} core[t1,t2,t3] U[t1,i] V[t2,j] W[t3,k]}, with the channel factor {@code U [r,
 * C]} zero-initialised (so P = 0 at step 0) and {@code core [r, r, r]}, {@code V [r, H]}, {@code W [r, W]}
 * drawn from N(0, initStd). Built dense as {@code [H, W, C]}, one mode product at a time.
 */
final class TuckerTensor {
  private TuckerTensor() {}

  static Operand<TFloat32> dense(BuildContext ctx, BlockInput site, int rank, float initStd) {
    var tf = ctx.tf();
    Init random = Init.normal(initStd);
    Operand<TFloat32> core = ctx.weight("core", Shape.of(rank, rank, rank), random, Decay.NOT_DECAYED).variable();
    Operand<TFloat32> u = ctx.weight("u", Shape.of(rank, site.channels()), Init.zeros(), Decay.NOT_DECAYED).variable();
    Operand<TFloat32> v = ctx.weight("v", Shape.of(rank, site.height()), random, Decay.NOT_DECAYED).variable();
    Operand<TFloat32> w = ctx.weight("w", Shape.of(rank, site.width()), random, Decay.NOT_DECAYED).variable();
    Operand<TFloat32> byHeight = tf.linalg.einsum(List.of(core, v), "abc,bh->ach");
    Operand<TFloat32> byWidth = tf.linalg.einsum(List.of(byHeight, w), "ach,cw->ahw");
    return tf.linalg.einsum(List.of(byWidth, u), "ahw,ai->hwi");
  }

  /** {@code r^3 + r (C + H + W)}. */
  static long parameterCount(BlockInput site, int rank) {
    return (long) rank * rank * rank + (long) rank * (site.channels() + site.height() + site.width());
  }
}

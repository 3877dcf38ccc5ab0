package dev.vprompt.graph.prompts.lora;

import dev.vprompt.graph.BlockHook;
import dev.vprompt.graph.prompts.WeightUpdates;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Decay;
import dev.vprompt.ops.Init;
import dev.vprompt.ops.Shapes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * LoRA's hook on each block's fused qkv projection (see {@link Lora}): {@code qkv + s (x A) B}, where A
 * stacks the targets' {@code A_t [d, r]} side by side and B places each {@code B_t [r, d]} in its target's
 * column block, zeros elsewhere. Computed on the activations as PEFT does (never forming the {@code d x 3d}
 * update per step); {@link #weightUpdates} forms it for export.
 */
final class LoraHook implements BlockHook, WeightUpdates {

  private final BuildContext ctx;
  private final int rank;
  private final float scaling;
  private final List<String> targets;
  private final Map<String, Operand<TFloat32>> updates = new LinkedHashMap<>();

  LoraHook(BuildContext ctx, int rank, float scaling, List<String> targets) {
    this.ctx = ctx;
    this.rank = rank;
    this.scaling = scaling;
    this.targets = targets;
  }

  @Override
  public Operand<TFloat32> attentionQkv(int block, String kernel, Operand<TFloat32> input, Operand<TFloat32> qkv) {
    String where = "lora at " + kernel;
    Shapes.requireRank(input, 3, where);
    int tokens = Shapes.staticDim(input, 1, where);
    int d = Shapes.staticDim(input, 2, where);
    if (Shapes.staticDim(qkv, 2, where) != 3 * d) {
      throw new IllegalArgumentException(where + ": expected a fused qkv projection to " + 3 * d + ", got " + qkv.shape());
    }
    Ops tf = ctx.tf();
    BuildContext blockCtx = ctx.child("block" + (block + 1));
    List<Operand<TFloat32>> as = new ArrayList<>();
    List<Operand<TFloat32>> rows = new ArrayList<>();
    float bound = (float) (1 / Math.sqrt(d));
    for (String target : targets) {
      BuildContext t = blockCtx.child(target);
      as.add(t.weight("a", Shape.of(d, rank), Init.uniform(-bound, bound), Decay.NOT_DECAYED).variable());
      Operand<TFloat32> b = t.weight("b", Shape.of(rank, d), Init.zeros(), Decay.NOT_DECAYED).variable();
      List<Operand<TFloat32>> row = new ArrayList<>();
      for (String column : Lora.PROJECTIONS) {
        row.add(column.equals(target) ? b : tf.zeros(tf.constant(new long[] {rank, d}), TFloat32.class));
      }
      rows.add(tf.concat(row, tf.constant(1)));
    }
    Operand<TFloat32> a = as.size() == 1 ? as.get(0) : tf.concat(as, tf.constant(1));
    Operand<TFloat32> bFull = rows.size() == 1 ? rows.get(0) : tf.concat(rows, tf.constant(0));
    Operand<TFloat32> scale = tf.constant(scaling);
    updates.put(kernel, tf.math.mul(tf.linalg.matMul(a, bFull), scale));

    Operand<TFloat32> flat = tf.reshape(input, tf.constant(new long[] {-1, d}));
    Operand<TFloat32> delta = tf.linalg.matMul(tf.linalg.matMul(flat, a), bFull);
    delta = tf.reshape(tf.math.mul(delta, scale), tf.constant(new long[] {-1, tokens, 3L * d}));
    return tf.math.add(qkv, delta);
  }

  @Override
  public Map<String, Operand<TFloat32>> weightUpdates() {
    return Collections.unmodifiableMap(updates);
  }
}

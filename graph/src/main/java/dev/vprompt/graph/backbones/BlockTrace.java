package dev.vprompt.graph.backbones;

import dev.vprompt.graph.BlockHook;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** A prompt's block hook that also records each block's input (before the hook) and output (after it). */
final class BlockTrace implements BlockHook {

  private final BlockHook hook;
  private final List<Operand<TFloat32>> inputs = new ArrayList<>();
  private final List<Operand<TFloat32>> outputs = new ArrayList<>();

  BlockTrace(BlockHook hook) {
    this.hook = hook;
  }

  @Override
  public Operand<TFloat32> beforeBlock(int block, Operand<TFloat32> x) {
    inputs.add(x);
    return hook.beforeBlock(block, x);
  }

  @Override
  public Operand<TFloat32> afterBlock(int block, Operand<TFloat32> x) {
    Operand<TFloat32> out = hook.afterBlock(block, x);
    outputs.add(out);
    return out;
  }

  Features features(Operand<TFloat32> pooled) {
    return new Features(pooled, inputs, outputs);
  }
}

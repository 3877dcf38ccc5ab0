package dev.vprompt.ops;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Sums tensors over the data-parallel towers of one training step: each tower passes its parts and gets
 * back the sums of every tower's, in the same order. What synchronised batch-norm reduces its moments
 * with.
 */
@FunctionalInterface
public interface TowerSum {
  List<Operand<TFloat32>> sum(List<Operand<TFloat32>> parts);
}

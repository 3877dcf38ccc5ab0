package dev.vprompt.ops.weights;

import java.util.Arrays;
import java.util.List;

/** One source tensor, its axes permuted (or kept, with no order given). */
record Permutation(String what, int... order) implements Conversion {

  @Override
  public String check(List<long[]> sourceShapes, long[] target) {
    if (sourceShapes.size() != 1) {
      return what + " takes one tensor, got " + sourceShapes.size();
    }
    long[] source = sourceShapes.get(0);
    if (order.length > 0 && source.length != order.length) {
      return what + " needs a rank-" + order.length + " tensor, got " + Conversion.shapeText(source);
    }
    long[] expected = permuted(source);
    return Arrays.equals(expected, target) ? null
        : Conversion.shapeText(source) + " gives " + Conversion.shapeText(expected) + " (" + what + "), the variable is "
            + Conversion.shapeText(target);
  }

  private long[] permuted(long[] source) {
    if (order.length == 0) {
      return source.clone();
    }
    long[] out = new long[order.length];
    for (int i = 0; i < order.length; i++) {
      out[i] = source[order[i]];
    }
    return out;
  }

  @Override
  public float[] apply(List<float[]> sources, List<long[]> sourceShapes, long[] target) {
    return Layouts.permute(sources.get(0), sourceShapes.get(0), order);
  }
}

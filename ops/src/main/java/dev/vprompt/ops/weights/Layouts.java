package dev.vprompt.ops.weights;

/** Row-major axis permutations of float arrays. */
final class Layouts {
  private Layouts() {}

  /** Target axis i is source axis {@code order[i]}; no order means a copy. */
  static float[] permute(float[] values, long[] shape, int... order) {
    if (order.length == 0) {
      return values.clone();
    }
    int rank = shape.length;
    long[] sourceStrides = new long[rank];
    long stride = 1;
    for (int a = rank - 1; a >= 0; a--) {
      sourceStrides[a] = stride;
      stride *= shape[a];
    }
    long[] targetShape = new long[rank];
    long[] strideOfTarget = new long[rank];
    for (int i = 0; i < rank; i++) {
      targetShape[i] = shape[order[i]];
      strideOfTarget[i] = sourceStrides[order[i]];
    }
    float[] out = new float[values.length];
    long[] index = new long[rank];
    long from = 0;
    for (int t = 0; t < out.length; t++) {
      out[t] = values[(int) from];
      // odometer over the target's axes, tracking the matching source offset
      for (int a = rank - 1; a >= 0; a--) {
        index[a]++;
        from += strideOfTarget[a];
        if (index[a] < targetShape[a]) {
          break;
        }
        from -= strideOfTarget[a] * targetShape[a];
        index[a] = 0;
      }
    }
    return out;
  }
}

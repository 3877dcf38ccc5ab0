package dev.vprompt.ops.weights;

import java.util.List;

/** Part {@code part} of {@code parts} equal slices along the first axis of one tensor, then another conversion. */
record Slice(int part, int parts, Conversion then) implements Conversion {

  Slice {
    if (parts < 1 || part < 0 || part >= parts) {
      throw new IllegalArgumentException("slice " + part + " of " + parts);
    }
  }

  private long[] sliced(long[] source) {
    long[] out = source.clone();
    out[0] = source[0] / parts;
    return out;
  }

  @Override
  public String check(List<long[]> sourceShapes, long[] target) {
    if (sourceShapes.size() != 1) {
      return "a slice takes one tensor, got " + sourceShapes.size();
    }
    long[] source = sourceShapes.get(0);
    if (source.length == 0 || source[0] % parts != 0) {
      return Conversion.shapeText(source) + " does not split into " + parts + " along its first axis";
    }
    return then.check(List.of(sliced(source)), target);
  }

  @Override
  public float[] apply(List<float[]> sources, List<long[]> sourceShapes, long[] target) {
    long[] piece = sliced(sourceShapes.get(0));
    int size = (int) Conversion.elements(piece);
    float[] values = new float[size];
    System.arraycopy(sources.get(0), part * size, values, 0, size);
    return then.apply(List.of(values), List.of(piece), target);
  }
}

package dev.vprompt.ops.weights;

import java.util.List;

/**
 * A ViT position embedding {@code [1, prefix + h * w, d]} whose grid is resampled to the model's, as timm's
 * {@code resample_abs_pos_embed} does when a checkpoint meets another input size: the prefix (class)
 * positions kept, the grid resized bicubically with {@code antialias=True} (PyTorch's separable
 * anti-aliased kernel, Keys' a = -0.5, half-pixel centres, weights renormalised at the borders). The source
 * grid is taken to be square, as timm takes it.
 */
public record PositionEmbedding(int prefixTokens, int gridHeight, int gridWidth) implements Conversion {

  @Override
  public String check(List<long[]> sourceShapes, long[] target) {
    if (sourceShapes.size() != 1) {
      return "a position embedding is one tensor";
    }
    long[] s = sourceShapes.get(0);
    long[] expected = {1, prefixTokens + (long) gridHeight * gridWidth, s.length == 3 ? s[2] : -1};
    if (s.length != 3 || s[0] != 1 || java.util.Arrays.compare(expected, target) != 0) {
      return Conversion.shapeText(s) + " cannot become " + Conversion.shapeText(target) + " (a [1, "
          + prefixTokens + " + grid, d] position embedding for a " + gridHeight + "x" + gridWidth + " grid)";
    }
    long grid = s[1] - prefixTokens;
    long side = Math.round(Math.sqrt(grid));
    if (grid < 1 || side * side != grid) {
      return Conversion.shapeText(s) + " has " + grid + " grid positions, not a square grid";
    }
    return null;
  }

  @Override
  public float[] apply(List<float[]> sources, List<long[]> sourceShapes, long[] target) {
    long[] s = sourceShapes.get(0);
    int dim = (int) s[2];
    int side = (int) Math.round(Math.sqrt(s[1] - prefixTokens));
    float[] source = sources.get(0);
    if (side == gridHeight && side == gridWidth) {
      return source.clone();
    }
    float[] out = new float[(int) Conversion.elements(target)];
    System.arraycopy(source, 0, out, 0, prefixTokens * dim);
    double[][] rows = weights(side, gridHeight);
    int[] rowStart = starts(side, gridHeight);
    double[][] cols = weights(side, gridWidth);
    int[] colStart = starts(side, gridWidth);
    int base = prefixTokens * dim;
    for (int y = 0; y < gridHeight; y++) {
      for (int x = 0; x < gridWidth; x++) {
        int to = base + (y * gridWidth + x) * dim;
        for (int c = 0; c < dim; c++) {
          double sum = 0;
          for (int i = 0; i < rows[y].length; i++) {
            int sy = rowStart[y] + i;
            double row = 0;
            for (int j = 0; j < cols[x].length; j++) {
              int sx = colStart[x] + j;
              row += cols[x][j] * source[base + (sy * side + sx) * dim + c];
            }
            sum += rows[y][i] * row;
          }
          out[to + c] = (float) sum;
        }
      }
    }
    return out;
  }

  private static double support(int in, int out) {
    double scale = (double) in / out;
    return scale >= 1 ? 2 * scale : 2;
  }

  /** First source index of each output's taps ({@code compute_indices_weights_aa}). */
  static int[] starts(int in, int out) {
    double scale = (double) in / out;
    double support = support(in, out);
    int[] starts = new int[out];
    for (int i = 0; i < out; i++) {
      double center = scale * (i + 0.5);
      starts[i] = (int) Math.max((long) (center - support + 0.5), 0);
    }
    return starts;
  }

  /** Each output's normalised tap weights. */
  static double[][] weights(int in, int out) {
    double scale = (double) in / out;
    double support = support(in, out);
    double invScale = scale >= 1 ? 1 / scale : 1;
    int[] starts = starts(in, out);
    double[][] weights = new double[out][];
    for (int i = 0; i < out; i++) {
      double center = scale * (i + 0.5);
      int size = (int) (Math.min((long) (center + support + 0.5), in) - starts[i]);
      double[] w = new double[size];
      double total = 0;
      for (int j = 0; j < size; j++) {
        w[j] = cubic((j + starts[i] - center + 0.5) * invScale);
        total += w[j];
      }
      for (int j = 0; j < size; j++) {
        w[j] = total != 0 ? w[j] / total : 0;
      }
      weights[i] = w;
    }
    return weights;
  }

  /** Keys' cubic convolution kernel with a = -0.5, PyTorch's anti-aliasing filter. */
  static double cubic(double x) {
    double a = -0.5;
    x = Math.abs(x);
    if (x < 1) {
      return ((a + 2) * x - (a + 3)) * x * x + 1;
    }
    if (x < 2) {
      return (((x - 5) * x + 8) * x - 4) * a;
    }
    return 0;
  }
}

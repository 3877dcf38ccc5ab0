package dev.vprompt.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Summary of a dataset: counts, shape, class histogram and per-channel pixel statistics. Means and
 * standard deviations are over pixel values scaled to [0,1] (what input normalisation needs); min
 * and max are raw 0..255 values.
 */
public record DatasetStats(String name, List<String> classNames, SplitStats train, SplitStats test) {

  /**
   * Statistics of one split. Arrays are indexed by channel ({@code mean}, {@code std}, {@code min},
   * {@code max}) or by label ({@code classCounts}); std is the population standard deviation.
   */
  public record SplitStats(String split, int count, int height, int width, int channels, int[] classCounts,
      double[] mean, double[] std, int[] min, int[] max) {
  }

  public static DatasetStats of(DatasetSplits splits) {
    return new DatasetStats(splits.name(), splits.classNames(), of("train", splits.train()),
        of("test", splits.test()));
  }

  public static SplitStats of(String split, ImageSet set) {
    int channels = set.channels();
    long[] sum = new long[channels];
    long[] sumSquares = new long[channels];
    int[] min = new int[channels];
    int[] max = new int[channels];
    Arrays.fill(min, 255);
    byte[] pixels = set.pixels();
    for (int c = 0; c < channels; c++) {
      // integer sums are exact (at most 255^2 * 2^31 < 2^63); only the final division rounds
      long s = 0;
      long s2 = 0;
      int lo = 255;
      int hi = 0;
      for (int i = c; i < pixels.length; i += channels) {
        int v = pixels[i] & 0xFF;
        s += v;
        s2 += v * v;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      sum[c] = s;
      sumSquares[c] = s2;
      min[c] = lo;
      max[c] = hi;
    }
    long perChannel = (long) set.count() * set.height() * set.width();
    double[] mean = new double[channels];
    double[] std = new double[channels];
    for (int c = 0; c < channels; c++) {
      if (perChannel == 0) {
        mean[c] = Double.NaN;
        std[c] = Double.NaN;
        min[c] = 0;
        continue;
      }
      double m = (double) sum[c] / perChannel;
      double variance = Math.max(0, (double) sumSquares[c] / perChannel - m * m);
      mean[c] = m / 255.0;
      std[c] = Math.sqrt(variance) / 255.0;
    }
    return new SplitStats(split, set.count(), set.height(), set.width(), channels, set.classCounts(),
        mean, std, min, max);
  }

  /** A plain-text report: one row per split, then the class histogram. */
  public String format() {
    StringBuilder out = new StringBuilder();
    out.append("dataset ").append(name).append(" (").append(classNames.size()).append(" classes)\n\n");
    List<String[]> splitRows = new ArrayList<>();
    splitRows.add(new String[] {"split", "images", "shape (HxWxC)", "mean", "std", "min", "max"});
    for (SplitStats s : List.of(train, test)) {
      splitRows.add(new String[] {s.split(), Integer.toString(s.count()),
          s.height() + "x" + s.width() + "x" + s.channels(), joinDecimals(s.mean()),
          joinDecimals(s.std()), joinInts(s.min()), joinInts(s.max())});
    }
    appendTable(out, splitRows, new boolean[] {false, true, false, false, false, true, true});
    out.append('\n');
    List<String[]> classRows = new ArrayList<>();
    classRows.add(new String[] {"label", "class", "train", "test"});
    for (int label = 0; label < classNames.size(); label++) {
      classRows.add(new String[] {Integer.toString(label), classNames.get(label),
          Integer.toString(train.classCounts()[label]), Integer.toString(test.classCounts()[label])});
    }
    appendTable(out, classRows, new boolean[] {true, false, true, true});
    return out.toString();
  }

  private static String joinDecimals(double[] values) {
    return Arrays.stream(values)
        .mapToObj(v -> Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v))
        .collect(Collectors.joining("/"));
  }

  private static String joinInts(int[] values) {
    return Arrays.stream(values).mapToObj(Integer::toString).collect(Collectors.joining("/"));
  }

  private static void appendTable(StringBuilder out, List<String[]> rows, boolean[] alignRight) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        if (i > 0) {
          line.append("  ");
        }
        String pad = " ".repeat(widths[i] - row[i].length());
        line.append(alignRight[i] ? pad + row[i] : row[i] + pad);
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
  }
}

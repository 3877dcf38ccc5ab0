package dev.vprompt.studies.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * Which pairs of classes a prompt confuses less or more than its baseline: for each unordered pair, the
 * test images of either class predicted as the other, per seed, prompted against baseline. The paper's
 * Fig. 3 claims fewer shirt/T-shirt and pullover/coat confusions from one seed; per-seed counts show
 * whether such a change repeats.
 *
 * @param baseline confusions of the pair per seed, baseline
 * @param prompted confusions of the pair per seed, prompted, in the same seed order
 */
public record ConfusionPairs(String first, String second, long[] baseline, long[] prompted) {

  /** Mean over seeds of prompted minus baseline confusions. */
  public double meanChange() {
    double sum = 0;
    for (int i = 0; i < baseline.length; i++) {
      sum += prompted[i] - baseline[i];
    }
    return sum / baseline.length;
  }

  /** Whether every seed changes in the same direction (none unchanged). */
  public boolean consistent() {
    boolean up = true;
    boolean down = true;
    for (int i = 0; i < baseline.length; i++) {
      up &= prompted[i] > baseline[i];
      down &= prompted[i] < baseline[i];
    }
    return up || down;
  }

  /**
   * The {@code top} pairs with the largest mean change in either direction, over the given seeds, or an
   * empty list when a run has no confusion matrix.
   *
   * @param confusion a run's confusion matrix (rows: true class), or null when it was not evaluated
   */
  public static List<ConfusionPairs> largestChanges(Cell prompted, Cell baseline, List<Long> seeds,
      Function<RunRecord, long[][]> confusion, List<String> classNames, int top) {
    List<long[][]> p = new ArrayList<>();
    List<long[][]> b = new ArrayList<>();
    for (long seed : seeds) {
      long[][] cp = confusion.apply(prompted.run(seed));
      long[][] cb = confusion.apply(baseline.run(seed));
      if (cp == null || cb == null || cp.length != classNames.size() || cb.length != classNames.size()) {
        return List.of();
      }
      p.add(cp);
      b.add(cb);
    }
    List<ConfusionPairs> pairs = new ArrayList<>();
    for (int i = 0; i < classNames.size(); i++) {
      for (int j = i + 1; j < classNames.size(); j++) {
        int a = i;
        int c = j;
        pairs.add(new ConfusionPairs(classNames.get(i), classNames.get(j),
            b.stream().mapToLong(m -> m[a][c] + m[c][a]).toArray(), p.stream().mapToLong(m -> m[a][c] + m[c][a]).toArray()));
      }
    }
    return pairs.stream().sorted(Comparator.comparingDouble((ConfusionPairs x) -> -Math.abs(x.meanChange()))
        .thenComparing(ConfusionPairs::first).thenComparing(ConfusionPairs::second)).limit(top).toList();
  }

  /** A Markdown table row: classes, per-seed counts of both, mean change, and whether the seeds agree. */
  String markdownRow() {
    return String.format(Locale.ROOT, "| %s ↔ %s | %s | %s | %+.1f | %s |", first, second, counts(baseline),
        counts(prompted), meanChange(), consistent() ? "yes" : "no");
  }

  private static String counts(long[] values) {
    return LongStream.of(values).mapToObj(Long::toString).collect(Collectors.joining(", "));
  }
}

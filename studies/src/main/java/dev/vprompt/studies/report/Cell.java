package dev.vprompt.studies.report;

import java.util.Comparator;
import java.util.List;

/** One experiment repeated over seeds: the runs sharing a {@link CellKey}, ordered by seed. */
public record Cell(CellKey key, List<RunRecord> runs) {

  public Cell {
    runs = runs.stream().sorted(Comparator.comparingLong(RunRecord::seed)).toList();
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("a cell needs at least one run");
    }
  }

  public List<Long> seeds() {
    return runs.stream().map(RunRecord::seed).toList();
  }

  public RunRecord run(long seed) {
    return runs.stream().filter(r -> r.seed() == seed).findFirst().orElse(null);
  }

  /** Test accuracy in percent, one value per run, of the best-validation or the last checkpoint. */
  public double[] testAccuracyPct(String checkpoint) {
    return runs.stream().mapToDouble(r -> 100 * (checkpoint.equals("last") ? r.summary().testAccLast()
        : r.summary().testAccBest())).toArray();
  }

  public String promptLabel() {
    return key.prompt().label();
  }
}

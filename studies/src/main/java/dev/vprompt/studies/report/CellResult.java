package dev.vprompt.studies.report;

import dev.vprompt.core.run.Summary;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The numbers of one cell: accuracy over seeds of both checkpoints, the paired comparison with its
 * baseline (same key, prompt none) over the seeds both have, the paired comparison with the same prompt
 * at its defaults (an ablation's reference), the paper's figure, size and speed.
 *
 * @param baseline the baseline cell, or null when the cell is one or none was run
 * @param pairedSeeds the seeds of the paired comparison with the baseline (empty without one)
 * @param vsBaselineBest prompted minus baseline, best-validation checkpoint; null without a baseline
 * @param reference the same prompt at its default settings, or null (baseline, defaults, or not run)
 * @param vsReferenceBest this cell minus its reference, best-validation checkpoint; null without one
 * @param paperReferenceDelta the paper's figure minus the paper's figure of the reference, where it has both
 */
public record CellResult(
    Cell cell,
    Cell baseline,
    SeedStatistics.Estimate best,
    SeedStatistics.Estimate last,
    List<Long> pairedSeeds,
    SeedStatistics.PairedTest vsBaselineBest,
    SeedStatistics.PairedTest vsBaselineLast,
    Cell reference,
    SeedStatistics.PairedTest vsReferenceBest,
    SeedStatistics.PairedTest vsReferenceLast,
    Optional<PaperResults.Figure> paper,
    Optional<Double> paperDelta,
    Optional<Double> paperReferenceDelta,
    long paramsTrainable,
    long paramsPrompt,
    long paramsTotal,
    double secondsPerEpoch,
    double meanBestEpoch) {

  /** A cell compared with its baseline only. */
  public static CellResult of(Cell cell, Cell baseline) {
    return of(cell, baseline, null);
  }

  /** Finds the cell's baseline and reference in the grouping. */
  public static CellResult within(Cell cell, CellGrouping grouping) {
    CellKey key = cell.key();
    CellKey defaults = key.defaults();
    return of(cell, key.isBaseline() ? null : grouping.find(key.baseline()),
        defaults == null ? null : grouping.find(defaults));
  }

  public static CellResult of(Cell cell, Cell baseline, Cell reference) {
    SeedStatistics.Estimate best = SeedStatistics.estimate(cell.testAccuracyPct("best"));
    SeedStatistics.Estimate last = SeedStatistics.estimate(cell.testAccuracyPct("last"));
    baseline = baseline == cell ? null : baseline;
    reference = reference == cell ? null : reference;
    List<Long> paired = sharedSeeds(cell, baseline);
    List<Long> pairedWithReference = sharedSeeds(cell, reference);
    CellKey key = cell.key();
    Optional<PaperResults.Figure> paper = key.comparableToPaper()
        ? PaperResults.lookup(key.datasetKind(), key.backbone(), key.prompt()) : Optional.empty();
    Optional<Double> paperDelta = Optional.empty();
    if (paper.isPresent() && !key.isBaseline()) {
      paperDelta = paperDifference(paper.get(), key.baseline());
    }
    Optional<Double> paperReferenceDelta = Optional.empty();
    if (paper.isPresent() && key.defaults() != null) {
      paperReferenceDelta = paperDifference(paper.get(), key.defaults());
    }
    Summary first = cell.runs().get(0).summary();
    double seconds = cell.runs().stream().mapToDouble(r -> r.summary().meanEpochSeconds()).average().orElse(Double.NaN);
    double bestEpoch = cell.runs().stream().mapToDouble(r -> r.summary().bestEpoch()).average().orElse(Double.NaN);
    return new CellResult(cell, baseline, best, last, paired, paired(cell, baseline, paired, "best"),
        paired(cell, baseline, paired, "last"), reference, paired(cell, reference, pairedWithReference, "best"),
        paired(cell, reference, pairedWithReference, "last"), paper, paperDelta, paperReferenceDelta,
        first.paramsTrainable(), first.paramsPrompt(), first.paramsTotal(), seconds, bestEpoch);
  }

  private static Optional<Double> paperDifference(PaperResults.Figure figure, CellKey other) {
    return PaperResults.lookup(other.datasetKind(), other.backbone(), other.prompt())
        .map(o -> figure.accuracyPct() - o.accuracyPct());
  }

  private static List<Long> sharedSeeds(Cell cell, Cell other) {
    List<Long> shared = new ArrayList<>();
    if (other != null) {
      for (long seed : cell.seeds()) {
        if (other.run(seed) != null) {
          shared.add(seed);
        }
      }
    }
    return List.copyOf(shared);
  }

  /** This cell minus the other over their shared seeds; null when there is no other or no shared seed. */
  private static SeedStatistics.PairedTest paired(Cell cell, Cell other, List<Long> seeds, String checkpoint) {
    if (other == null || seeds.isEmpty()) {
      return null;
    }
    double[] treated = new double[seeds.size()];
    double[] base = new double[seeds.size()];
    for (int i = 0; i < seeds.size(); i++) {
      treated[i] = accuracyPct(cell.run(seeds.get(i)).summary(), checkpoint);
      base[i] = accuracyPct(other.run(seeds.get(i)).summary(), checkpoint);
    }
    return SeedStatistics.pairedTest(treated, base);
  }

  private static double accuracyPct(Summary s, String checkpoint) {
    return 100 * (checkpoint.equals("last") ? s.testAccLast() : s.testAccBest());
  }
}

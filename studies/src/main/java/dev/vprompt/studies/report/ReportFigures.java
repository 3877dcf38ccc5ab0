package dev.vprompt.studies.report;

import dev.vprompt.studies.analysis.AccuracyParamsChart;
import dev.vprompt.studies.analysis.ColorScale;
import dev.vprompt.studies.analysis.ConfusionFigure;
import dev.vprompt.studies.analysis.DifferenceFigure;
import dev.vprompt.studies.analysis.EvalFigures;
import dev.vprompt.studies.analysis.Figures;
import dev.vprompt.studies.analysis.GradCam;
import dev.vprompt.studies.analysis.GradCamFigure;
import dev.vprompt.studies.analysis.PromptMapFigure;
import dev.vprompt.studies.analysis.PromptEffectChart;
import dev.vprompt.studies.analysis.PromptMaps;
import dev.vprompt.studies.analysis.TrainingCurvesChart;
import dev.vprompt.core.data.ImageSet;
import dev.vprompt.core.eval.EvalResult;
import dev.vprompt.core.eval.InferenceModel;
import dev.vprompt.core.run.EpochMetrics;
import dev.vprompt.core.run.Json;
import dev.vprompt.ops.PromptEffect;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Draws the report's figures into {@code OUT/figures/} and returns them as Markdown sections. Each kind
 * is independent: a figure that cannot be made (no baseline, no evaluation) is left out with a note.
 */
final class ReportFigures {

  /** A figure to link: its section, caption and file (relative to the report). */
  record Figure(String section, String caption, String file) {}

  private final Path out;
  private final ReportOptions options;
  private final PrintWriter log;
  private final TestSplits splits = new TestSplits();
  private final Set<String> usedNames = new HashSet<>();
  private final List<String> notes = new ArrayList<>();

  ReportFigures(Path out, ReportOptions options, PrintWriter log) {
    this.out = out;
    this.options = options;
    this.log = log;
  }

  List<String> notes() {
    return notes;
  }

  List<Figure> all(List<CellResult> results, CellGrouping grouping) {
    List<Figure> figures = new ArrayList<>();
    figures.addAll(differences(results, grouping));
    figures.add(accuracyVsParams(results));
    figures.addAll(curves(results, grouping));
    figures.addAll(promptEffects(results, grouping));
    for (CellResult r : results) {
      if (r.baseline() != null && !r.pairedSeeds().isEmpty()) {
        confusion(r, grouping).ifPresent(figures::add);
      }
    }
    for (CellResult r : results) {
      if (PromptMaps.present(r.cell().runs().get(0).config())) {
        figures.add(promptMaps(r, grouping));
      }
    }
    if (options.gradcamImages() > 0) {
      for (CellResult r : results) {
        if (r.baseline() != null && !r.pairedSeeds().isEmpty()) {
          figures.add(gradCam(r, grouping));
        }
      }
    }
    return figures;
  }

  private List<Figure> differences(List<CellResult> results, CellGrouping grouping) {
    boolean last = options.checkpoint().equals("last");
    List<Figure> figures = new ArrayList<>();
    differenceFigure(results, grouping, r -> last ? r.vsBaselineLast() : r.vsBaselineBest(),
        "Prompted minus baseline: test accuracy", "differences")
        .map(file -> new Figure("Differences to the baseline", "Each prompted configuration minus its baseline (prompt "
            + "none), paired by seed, with 95% confidence intervals.", file))
        .ifPresent(figures::add);
    differenceFigure(results, grouping, r -> last ? r.vsReferenceLast() : r.vsReferenceBest(),
        "Ablations: minus the same prompt at its defaults", "ablations")
        .map(file -> new Figure("Ablations", "Each configuration that changes a prompt's option minus that prompt at "
            + "its defaults (MSVP: full scales, additive fusion), paired by seed, with 95% confidence intervals.", file))
        .ifPresent(figures::add);
    return figures;
  }

  private Optional<String> differenceFigure(List<CellResult> results, CellGrouping grouping,
      Function<CellResult, SeedStatistics.PairedTest> comparison, String title, String name) {
    List<DifferenceFigure.Row> rows = new ArrayList<>();
    for (CellResult r : results) {
      SeedStatistics.PairedTest test = comparison.apply(r);
      if (test == null) {
        continue;
      }
      SeedStatistics.Estimate d = test.difference();
      String note = d.hasInterval()
          ? String.format(Locale.ROOT, "%+.2f [%+.2f, %+.2f], p %s, %d seeds", d.mean(), d.low(), d.high(),
              ResultsTable.pValue(test.p()), d.n())
          : String.format(Locale.ROOT, "%+.2f, 1 seed: no interval", d.mean());
      rows.add(new DifferenceFigure.Row(label(r, grouping), d.mean(), d.low(), d.high(), note));
    }
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(write(DifferenceFigure.render(title,
        "Paired by seed, " + checkpointWords() + "; bars are 95% t intervals, blue where they exclude 0",
        "difference in test accuracy (percentage points)", rows), name));
  }

  private Figure accuracyVsParams(List<CellResult> results) {
    List<AccuracyParamsChart.Point> points = new ArrayList<>();
    Set<String> labelled = new HashSet<>();
    for (CellResult r : results) {
      CellKey k = r.cell().key();
      // label one point per dataset and backbone: prompted points sit on their baseline's x
      String where = k.datasetName() + "/" + k.backbone() + "/" + k.training().epochs();
      String label = labelled.add(where) ? k.backbone() : null;
      SeedStatistics.Estimate acc = options.checkpoint().equals("last") ? r.last() : r.best();
      points.add(new AccuracyParamsChart.Point(k.datasetName(), r.cell().promptLabel(), label, r.paramsTrainable(),
          acc.mean(), acc.sd()));
    }
    String file = write(AccuracyParamsChart.render("Test accuracy against trainable parameters",
        "mean ± sd over seeds, " + checkpointWords() + "; colour: dataset, shape: prompt (nudged apart along x)", points), "accuracy-vs-params");
    return new Figure("Accuracy against trainable parameters",
        "Each configuration at its mean over seeds, bars ± one standard deviation.", file);
  }

  /** One chart per dataset, backbone, epochs and settings: all its prompt configurations together. */
  private List<Figure> curves(List<CellResult> results, CellGrouping grouping) {
    Map<String, List<CellResult>> groups = new LinkedHashMap<>();
    for (CellResult r : results) {
      CellKey k = r.cell().key();
      String group = k.datasetName() + ", " + k.backbone() + ", " + k.training().epochs() + " epochs"
          + (grouping.settings().get(k).isEmpty() ? "" : ", " + grouping.settings().get(k));
      groups.computeIfAbsent(group, g -> new ArrayList<>()).add(r);
    }
    List<Figure> figures = new ArrayList<>();
    for (Map.Entry<String, List<CellResult>> group : groups.entrySet()) {
      List<TrainingCurvesChart.Curve> curves = new ArrayList<>();
      int seeds = 0;
      for (CellResult r : group.getValue()) {
        curves.add(meanCurve(r.cell()));
        seeds = Math.max(seeds, r.cell().runs().size());
      }
      String file = write(TrainingCurvesChart.render("Training curves: " + group.getKey(),
          (seeds == 1 ? "one seed" : "mean over up to " + seeds + " seeds")
              + "; solid: validation, dashed: training", curves), "curves-" + group.getKey());
      figures.add(new Figure("Training and validation curves", group.getKey(), file));
    }
    return figures;
  }

  /**
   * One chart per dataset and backbone: each prompted configuration's RMS(prompt) / RMS(activation) per
   * layer (summary.json, best-validation checkpoint), none when no run recorded it.
   */
  private List<Figure> promptEffects(List<CellResult> results, CellGrouping grouping) {
    Map<String, List<CellResult>> groups = new LinkedHashMap<>();
    for (CellResult r : results) {
      boolean measured = r.cell().runs().stream().anyMatch(run -> !run.summary().promptEffectBest().isEmpty());
      if (measured) {
        CellKey k = r.cell().key();
        groups.computeIfAbsent(k.datasetName() + ", " + k.backbone(), g -> new ArrayList<>()).add(r);
      }
    }
    List<Figure> figures = new ArrayList<>();
    for (Map.Entry<String, List<CellResult>> group : groups.entrySet()) {
      Map<String, Long> labelCounts = new java.util.HashMap<>();
      group.getValue().forEach(r -> labelCounts.merge(r.cell().promptLabel(), 1L, Long::sum));
      List<PromptEffectChart.Series> series = new ArrayList<>();
      int seeds = 0;
      for (CellResult r : group.getValue()) {
        String settings = grouping.settings().get(r.cell().key());
        // a label that two cells share (another learning rate, say) takes its settings along
        String label = r.cell().promptLabel()
            + (labelCounts.get(r.cell().promptLabel()) > 1 && !settings.isEmpty() ? " (" + settings + ")" : "");
        List<Map<String, Double>> perSeed = new ArrayList<>();
        r.cell().runs().forEach(run -> perSeed.add(run.summary().promptEffectBest()));
        series.add(new PromptEffectChart.Series(label, perSeed));
        seeds = Math.max(seeds, perSeed.size());
      }
      String file = write(PromptEffectChart.render("What the prompts add: " + group.getKey(),
          "best-validation checkpoint on the test images; line: geometric mean over " + (seeds == 1 ? "one seed"
              : "up to " + seeds + " seeds") + ", dots: each seed", PromptEffect.COLLAPSED_BELOW, series),
          "prompt-effect-" + group.getKey());
      figures.add(new Figure("What the prompts add, per layer", "RMS(prompt) / RMS(activation) per prompted layer: "
          + group.getKey() + ". Below the dashed line a prompt has collapsed.", file));
    }
    return figures;
  }

  private static TrainingCurvesChart.Curve meanCurve(Cell cell) {
    int epochs = cell.runs().stream().mapToInt(r -> r.metrics().size()).max().orElse(0);
    double[] x = new double[epochs];
    double[][] sums = new double[4][epochs];
    int[] counts = new int[epochs];
    for (RunRecord run : cell.runs()) {
      for (EpochMetrics m : run.metrics()) {
        int i = m.epoch() - 1;
        if (i < 0 || i >= epochs) {
          continue;
        }
        sums[0][i] += m.trainLoss();
        sums[1][i] += m.valLoss();
        sums[2][i] += 100 * m.trainAcc();
        sums[3][i] += 100 * m.valAcc();
        counts[i]++;
      }
    }
    for (int i = 0; i < epochs; i++) {
      x[i] = i + 1;
      for (double[] s : sums) {
        s[i] = counts[i] == 0 ? Double.NaN : s[i] / counts[i];
      }
    }
    return new TrainingCurvesChart.Curve(cell.promptLabel(), x, sums[0], sums[1], sums[2], sums[3]);
  }

  /** Baseline, prompted and their difference, each summed over the seeds both have. */
  private java.util.Optional<Figure> confusion(CellResult r, CellGrouping grouping) {
    long[][] prompted = summedConfusion(r.cell(), r.pairedSeeds());
    long[][] baseline = summedConfusion(r.baseline(), r.pairedSeeds());
    if (prompted == null || baseline == null) {
      notes.add("no confusion matrix for " + label(r, grouping) + ": not evaluated yet (run without --no-eval)");
      return java.util.Optional.empty();
    }
    double[][] p = ConfusionFigure.rowPercent(prompted);
    double[][] b = ConfusionFigure.rowPercent(baseline);
    double[][] diff = ConfusionFigure.difference(p, b);
    double limit = 0;
    for (double[] row : diff) {
      for (double v : row) {
        limit = Math.max(limit, Math.abs(v));
      }
    }
    List<String> classes = r.cell().runs().get(0).config().classNames();
    String prompt = r.cell().promptLabel();
    String file = write(ConfusionFigure.render("Confusion matrices: " + label(r, grouping),
        "Each row: the true class's test images, in % by predicted class; " + seedsWords(r.pairedSeeds())
            + ", " + checkpointWords() + ". Right: red where " + prompt + " predicts that cell more often.",
        classes, List.of(
            new ConfusionFigure.Panel("none (baseline)", b, ColorScale.sequential(100), "%.0f", "% of true class"),
            new ConfusionFigure.Panel(prompt, p, ColorScale.sequential(100), "%.0f", "% of true class"),
            new ConfusionFigure.Panel(prompt + " minus none", diff, ColorScale.diverging(Math.max(limit, 1)), "%+.0f",
                "percentage points"))), "confusion-" + label(r, grouping));
    return java.util.Optional.of(new Figure("Confusion matrices", label(r, grouping), file));
  }

  private long[][] summedConfusion(Cell cell, List<Long> seeds) {
    long[][] sum = null;
    for (long seed : seeds) {
      long[][] confusion = confusion(cell.run(seed));
      if (confusion == null) {
        return null;
      }
      if (sum == null) {
        sum = new long[confusion.length][confusion.length];
      }
      for (int i = 0; i < confusion.length; i++) {
        for (int j = 0; j < confusion.length; j++) {
          sum[i][j] += confusion[i][j];
        }
      }
    }
    return sum;
  }

  /** An earlier evaluation of the run's checkpoint on its own test split, else a new one (saved for next time). */
  private long[][] confusion(RunRecord run) {
    String checkpoint = options.checkpoint();
    long[][] cached = EvalReport.readConfusion(run.dir(), checkpoint, run.config().data());
    if (cached != null || !options.evaluate()) {
      return cached;
    }
    log.println("evaluating " + run.dir() + " (" + checkpoint + ")");
    log.flush();
    ImageSet test = splits.of(run.config());
    EvalResult result;
    try (InferenceModel model = new InferenceModel(run.config(), test, run.checkpoint(checkpoint), options.threads())) {
      result = model.evaluate(options.evalBatchSize());
    }
    // saved for next time only when no one else writes the run (a resumed train, an eval)
    try (dev.vprompt.core.run.DirectoryLock lock = dev.vprompt.core.run.DirectoryLock.tryAcquire(run.dir())) {
      if (lock != null) {
        Json.writeAtomically(EvalReport.file(run.dir(), checkpoint),
            EvalReport.toMap(run.dir(), checkpoint, run.config().data(), run.config().classNames(), result));
      }
    }
    return result.confusion();
  }

  private Figure promptMaps(CellResult r, CellGrouping grouping) {
    RunRecord run = r.cell().runs().get(0);
    PromptMaps maps = PromptMaps.read(run.config(), run.checkpoint(options.checkpoint()));
    String file = write(PromptMapFigure.render("Learned prompt maps: " + label(r, grouping) + ", seed " + run.seed(),
        maps), "prompt-maps-" + label(r, grouping));
    return new Figure("Learned prompt maps", label(r, grouping) + ", seed " + run.seed() + " (" + checkpointWords() + ")",
        file);
  }

  private Figure gradCam(CellResult r, CellGrouping grouping) {
    long seed = r.pairedSeeds().get(0);
    RunRecord prompted = r.cell().run(seed);
    RunRecord baseline = r.baseline().run(seed);
    ImageSet test = splits.of(prompted.config());
    int[] rows = EvalFigures.samples(test, options.gradcamImages());
    List<GradCamFigure.Column> columns = new ArrayList<>();
    for (RunRecord run : List.of(baseline, prompted)) {
      try (GradCam cam = new GradCam(run.config(), run.checkpoint(options.checkpoint()), options.threads())) {
        columns.add(new GradCamFigure.Column(run.config().prompt().label(), cam.explain(test, rows)));
      }
    }
    String file = write(GradCamFigure.render("Grad-CAM: " + label(r, grouping) + " vs none, seed " + seed, test, rows,
        prompted.config().classNames(), columns), "gradcam-" + label(r, grouping));
    return new Figure("Grad-CAM", label(r, grouping) + " vs none, seed " + seed, file);
  }

  private static String label(CellResult r, CellGrouping grouping) {
    CellKey k = r.cell().key();
    String settings = grouping.settings().get(k);
    return k.datasetName() + ", " + k.backbone() + ", " + r.cell().promptLabel() + ", " + k.training().epochs()
        + " epochs" + (settings.isEmpty() ? "" : ", " + settings);
  }

  private String checkpointWords() {
    return options.checkpoint().equals("last") ? "last-epoch checkpoint" : "best-validation checkpoint";
  }

  private static String seedsWords(List<Long> seeds) {
    return seeds.size() == 1 ? "seed " + seeds.get(0) : seeds.size() + " seeds summed";
  }

  /** Writes figures/NAME.png with a file-safe, unique name; returns its path relative to the report. */
  private String write(java.awt.image.BufferedImage image, String name) {
    String base = fileBase(name);
    String unique = base;
    for (int i = 2; !usedNames.add(unique); i++) {
      unique = base + "-" + i;
    }
    String relative = "figures/" + unique + ".png";
    Figures.writePng(image, out.resolve(relative));
    return relative;
  }

  /**
   * A figure's file name from its title: lower case, runs of other characters as one dash, and at most
   * {@link #MAX_BASE} characters (a transfer cell's settings alone pass the file system's 255), a long name
   * cut and ended with its hash so that two long titles stay apart.
   */
  static String fileBase(String name) {
    String base = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.+-]+", "-").replaceAll("-+", "-")
        .replaceAll("^-|-$", "");
    if (base.length() <= MAX_BASE) {
      return base;
    }
    String hash = String.format(Locale.ROOT, "%08x", name.hashCode());
    return base.substring(0, MAX_BASE - hash.length() - 1) + "-" + hash;
  }

  static final int MAX_BASE = 120;
}

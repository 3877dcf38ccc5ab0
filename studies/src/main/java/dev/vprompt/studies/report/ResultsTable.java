package dev.vprompt.studies.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The report's results as a Markdown table (for people) and as CSV (for other tools, every number at
 * full precision). One row per cell.
 */
public final class ResultsTable {

  private ResultsTable() {}

  /**
   * The main table, of the best-validation checkpoint (the paper's choice), or with {@code last} the
   * shorter one of the last epoch's checkpoint (the reference code's).
   */
  public static String markdown(List<CellResult> results, CellGrouping grouping, String checkpoint) {
    boolean best = !checkpoint.equals("last");
    boolean settings = grouping.hasSettings();
    StringBuilder md = header(settings, " epochs | seeds | test % | Δ vs none [95% CI] | p |"
        + (best ? " paper % | paper Δ | trainable params | prompt params | s/epoch |" : ""),
        "---:|---:|---:|---|---:|" + (best ? "---:|---:|---:|---:|---:|" : ""));
    for (CellResult r : results) {
      CellKey key = r.cell().key();
      SeedStatistics.PairedTest test = best ? r.vsBaselineBest() : r.vsBaselineLast();
      rowStart(md, r, grouping, settings).append(key.training().epochs()).append(" | ").append(r.best().n()).append(" | ")
          .append(meanSd(best ? r.best() : r.last())).append(" | ").append(delta(r, test)).append(" | ")
          .append(p(test)).append(" |");
      if (best) {
        md.append(' ').append(r.paper().map(f -> fmt("%.2f", f.accuracyPct()) + " (" + f.table() + ")").orElse("–"))
            .append(" | ").append(r.paperDelta().map(d -> fmt("%+.2f", d)).orElse("–")).append(" | ")
            .append(fmt("%,d", r.paramsTrainable())).append(" | ").append(fmt("%,d", r.paramsPrompt())).append(" | ")
            .append(fmt("%.1f", r.secondsPerEpoch())).append(" |");
      }
      md.append('\n');
    }
    return md.toString();
  }

  /**
   * The ablation table: each cell whose prompt differs from that prompt's defaults, against the cell of
   * the defaults (best-validation checkpoint), with the paper's difference where it has both figures.
   */
  public static String ablationMarkdown(List<CellResult> results, CellGrouping grouping) {
    boolean settings = grouping.hasSettings();
    StringBuilder md = header(settings, " epochs | seeds | test % | against | Δ [95% CI] | p | paper Δ | prompt params |",
        "---:|---:|---:|---|---|---:|---:|---:|");
    for (CellResult r : results) {
      if (r.vsReferenceBest() == null) {
        continue;
      }
      CellKey key = r.cell().key();
      rowStart(md, r, grouping, settings).append(key.training().epochs()).append(" | ").append(r.vsReferenceBest().difference().n()).append(" | ")
          .append(meanSd(r.best())).append(" | ").append(r.reference().promptLabel()).append(" | ")
          .append(interval(r.vsReferenceBest().difference())).append(" | ").append(p(r.vsReferenceBest())).append(" | ")
          .append(r.paperReferenceDelta().map(d -> fmt("%+.2f", d)).orElse("–")).append(" | ")
          .append(fmt("%,d", r.paramsPrompt())).append(" |\n");
    }
    return md.toString();
  }

  /** The header and alignment lines: the columns every table starts with, then {@code columns}. */
  private static StringBuilder header(boolean settings, String columns, String alignments) {
    return new StringBuilder("| dataset | backbone | prompt |").append(settings ? " settings |" : "").append(columns)
        .append('\n').append("|---|---|---|").append(settings ? "---|" : "").append(alignments).append('\n');
  }

  /** A row's first cells, which name the cell: dataset, backbone, prompt, and settings where cells differ. */
  private static StringBuilder rowStart(StringBuilder md, CellResult r, CellGrouping grouping, boolean settings) {
    CellKey key = r.cell().key();
    md.append("| ").append(key.datasetName()).append(" | ").append(key.backbone()).append(" | ")
        .append(r.cell().promptLabel()).append(" | ");
    if (settings) {
      md.append(escape(grouping.settings().get(key))).append(" | ");
    }
    return md;
  }

  /** "92.53 ± 0.12"; with one seed there is no spread to give. */
  static String meanSd(SeedStatistics.Estimate e) {
    return e.n() < 2 ? fmt("%.2f", e.mean()) + " (n=1)" : fmt("%.2f ± %.2f", e.mean(), e.sd());
  }

  /** "+0.10 [-0.25, +0.45]", or why there is no interval. */
  static String delta(CellResult r, SeedStatistics.PairedTest test) {
    if (r.cell().key().isBaseline()) {
      return "(baseline)";
    }
    if (test == null) {
      return "no baseline run";
    }
    return interval(test.difference());
  }

  static String interval(SeedStatistics.Estimate d) {
    if (!d.hasInterval()) {
      return fmt("%+.2f", d.mean()) + " (1 seed: no interval)";
    }
    return fmt("%+.2f [%+.2f, %+.2f]", d.mean(), d.low(), d.high());
  }

  static String p(SeedStatistics.PairedTest test) {
    if (test == null || !test.hasTest()) {
      return "–";
    }
    return pValue(test.p());
  }

  static String pValue(double p) {
    if (p < 0.001) {
      return "<0.001";
    }
    return fmt("%.2g", p); // two significant digits: 0.035, 0.37
  }

  private static final List<String> CSV_COLUMNS = List.of("dataset", "data", "backbone", "prompt", "settings",
      "epochs", "n_seeds", "seeds", "test_best_mean", "test_best_sd", "test_best_ci_low", "test_best_ci_high",
      "test_last_mean", "test_last_sd", "test_last_ci_low", "test_last_ci_high", "n_pairs", "delta_best_mean",
      "delta_best_sd", "delta_best_ci_low", "delta_best_ci_high", "delta_best_t", "delta_best_p", "delta_last_mean",
      "delta_last_sd", "delta_last_ci_low", "delta_last_ci_high", "delta_last_t", "delta_last_p", "paper_pct",
      "paper_table", "paper_delta", "params_trainable", "params_prompt", "params_total", "seconds_per_epoch",
      "mean_best_epoch", "reference_prompt", "n_reference_pairs", "delta_ref_best_mean", "delta_ref_best_sd",
      "delta_ref_best_ci_low", "delta_ref_best_ci_high", "delta_ref_best_t", "delta_ref_best_p", "delta_ref_last_mean",
      "delta_ref_last_sd", "delta_ref_last_ci_low", "delta_ref_last_ci_high", "delta_ref_last_t", "delta_ref_last_p",
      "paper_ref_delta");

  public static String csv(List<CellResult> results, CellGrouping grouping) {
    StringBuilder csv = new StringBuilder(String.join(",", CSV_COLUMNS)).append('\n');
    for (CellResult r : results) {
      CellKey key = r.cell().key();
      List<Object> row = new ArrayList<>(List.of(key.datasetName(), key.data(), key.backbone(), r.cell().promptLabel(),
          grouping.settings().get(key), key.training().epochs(), r.best().n(),
          r.cell().seeds().stream().map(String::valueOf).collect(Collectors.joining(" "))));
      addEstimate(row, r.best());
      addEstimate(row, r.last());
      row.add(r.pairedSeeds().size());
      addTest(row, r.vsBaselineBest());
      addTest(row, r.vsBaselineLast());
      row.add(r.paper().map(f -> (Object) f.accuracyPct()).orElse(""));
      row.add(r.paper().map(PaperResults.Figure::table).orElse(""));
      row.add(r.paperDelta().map(d -> (Object) d).orElse(""));
      row.addAll(List.of(r.paramsTrainable(), r.paramsPrompt(), r.paramsTotal(), r.secondsPerEpoch(), r.meanBestEpoch()));
      row.add(r.reference() == null ? "" : r.reference().promptLabel());
      row.add(r.vsReferenceBest() == null ? "" : r.vsReferenceBest().difference().n());
      addTest(row, r.vsReferenceBest());
      addTest(row, r.vsReferenceLast());
      row.add(r.paperReferenceDelta().map(d -> (Object) d).orElse(""));
      csv.append(row.stream().map(ResultsTable::csvField).collect(Collectors.joining(","))).append('\n');
    }
    return csv.toString();
  }

  /** One line per run, for anyone who wants to redo the statistics. */
  public static String runsCsv(List<RunRecord> runs) {
    StringBuilder csv = new StringBuilder("run,dataset,backbone,prompt,seed,epochs,best_epoch,best_val_acc,"
        + "test_acc_best,test_acc_last,params_trainable,params_prompt,params_total,mean_epoch_seconds\n");
    for (RunRecord run : runs) {
      var s = run.summary();
      csv.append(List.of(run.dir(), s.dataset(), s.backbone(), s.promptLabel(), s.seed(), s.epochs(), s.bestEpoch(),
          s.bestValAcc(), s.testAccBest(), s.testAccLast(), s.paramsTrainable(), s.paramsPrompt(), s.paramsTotal(),
          s.meanEpochSeconds()).stream().map(ResultsTable::csvField).collect(Collectors.joining(","))).append('\n');
    }
    return csv.toString();
  }

  private static void addEstimate(List<Object> row, SeedStatistics.Estimate e) {
    row.addAll(List.of(e.mean(), e.sd(), e.low(), e.high()));
  }

  private static void addTest(List<Object> row, SeedStatistics.PairedTest test) {
    if (test == null) {
      row.addAll(List.of("", "", "", "", "", ""));
      return;
    }
    SeedStatistics.Estimate d = test.difference();
    row.addAll(List.of(d.mean(), d.sd(), d.low(), d.high(), test.t(), test.p()));
  }

  /** Numbers in full; NaN as an empty field; text quoted when it holds a comma or a quote. */
  static String csvField(Object value) {
    if (value instanceof Double d) {
      return Double.isNaN(d) ? "" : Double.toString(d);
    }
    String text = String.valueOf(value);
    if (text.contains(",") || text.contains("\"") || text.contains("\n")) {
      return "\"" + text.replace("\"", "\"\"") + "\"";
    }
    return text;
  }

  private static String escape(String text) {
    return text.replace("|", "\\|");
  }

  static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}

package dev.vprompt.cli;

import dev.vprompt.studies.report.ReportBuilder;
import dev.vprompt.studies.report.ReportOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vprompt report}: tables over seeds with intervals and paired tests, and the figures, as Markdown. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Reads finished runs (run directories, or directories of them such as a sweep's) and writes OUT/README.md: "
          + "per dataset x backbone x prompt configuration the mean and standard deviation over seeds of the test "
          + "accuracy (best-validation and last checkpoint), the paired difference to the baseline (prompt none) "
          + "with a 95%% t interval and a paired t-test, the paper's figure, parameters and time per epoch; for a "
          + "prompt with an option changed (MSVP's scales or fusion), the same paired comparison with that prompt "
          + "at its defaults (the paper's ablations); how many seeds the paper's difference would need; the class "
          + "pairs whose confusions changed most, per seed. Also OUT/results.csv, OUT/runs.csv and "
          + "OUT/figures/*.png (differences, ablations, accuracy against parameters, training curves, confusion "
          + "matrices, prompt maps, Grad-CAM).",
      "",
      "Confusion matrices need each run evaluated once: the report reuses RUN/eval-CHECKPOINT.json and writes it "
          + "where missing (skip that with --no-eval)."
    })
final class ReportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "RUN_OR_SWEEP_DIR", arity = "1..*", description = "Run directories or directories holding runs.")
  List<Path> inputs;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "report", description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--checkpoint", paramLabel = "WHICH", defaultValue = "best",
      description = "Checkpoint of the confusion matrices, prompt maps and Grad-CAM: best or last (default: ${DEFAULT-VALUE}).")
  String checkpoint;

  @Option(names = "--gradcam", paramLabel = "N", defaultValue = "6",
      description = "Test images per Grad-CAM figure; 0 for none (default: ${DEFAULT-VALUE}).")
  int gradcam;

  @Option(names = "--no-eval", description = "Do not evaluate runs for confusion matrices; use earlier evaluations only.")
  boolean noEval;

  @Option(names = "--no-figures", description = "Tables only.")
  boolean noFigures;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "TensorFlow intra-op threads; 0 uses every core.")
  int threads;

  @Option(names = "--eval-batch-size", paramLabel = "N", defaultValue = "1000", description = "Images per inference batch (default: ${DEFAULT-VALUE}).")
  int evalBatchSize;

  @Option(names = "--verbose", description = "Stack traces on errors.")
  boolean verbose;

  @Override
  public Integer call() {
    PrintWriter log = spec.commandLine().getOut();
    ReportOptions options = new ReportOptions(checkpoint, gradcam, !noEval, !noFigures, threads, evalBatchSize);
    ReportBuilder.Written written = new ReportBuilder(options, log).build(inputs, out);
    log.printf("report of %d runs in %d cells, %d figures: %s%n", written.runs(), written.cells(), written.figures(),
        written.readme());
    if (!written.unfinished().isEmpty()) {
      log.println("unfinished runs left out: " + written.unfinished());
    }
    log.flush();
    return 0;
  }
}

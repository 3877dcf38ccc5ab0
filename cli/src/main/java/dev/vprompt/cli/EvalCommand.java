package dev.vprompt.cli;

import dev.vprompt.core.data.ImageSet;
import dev.vprompt.core.data.LoadedData;
import dev.vprompt.core.eval.EvalResult;
import dev.vprompt.core.eval.InferenceModel;
import dev.vprompt.studies.analysis.EvalFigures;
import dev.vprompt.studies.report.EvalReport;
import dev.vprompt.core.run.Json;
import dev.vprompt.core.run.RunConfig;
import dev.vprompt.core.run.RunDirectory;
import dev.vprompt.core.run.DirectoryLock;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vprompt eval}: test accuracy, per-class accuracy and the confusion matrix of a checkpoint. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = "Evaluates a run's checkpoint on the test split of its dataset (or of --data): prints the "
        + "accuracy, the per-class accuracy and the confusion matrix, and writes them to RUN/eval-CHECKPOINT.json.")
final class EvalCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin DataLimitOptions limits;

  @Option(names = "--run", paramLabel = "DIR", required = true, description = "The run directory.")
  Path runDir;

  @Option(names = "--checkpoint", defaultValue = "best", description = "best or last (default: ${DEFAULT-VALUE}).")
  String checkpoint;

  @Option(names = "--data", paramLabel = "SPEC", description = "Evaluate on this dataset's test split instead of the run's.")
  String data;

  @Option(names = "--batch-size", defaultValue = "1000", description = "Images per inference batch (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--threads", defaultValue = "0", description = "TensorFlow intra-op threads; 0 uses every core.")
  int threads;

  @Option(names = "--json", description = "Print the JSON report instead of tables.")
  boolean json;

  @Option(names = "--gradcam", paramLabel = "N", defaultValue = "0",
      description = "Also write Grad-CAM overlays of N test images (a different class each while classes last) to "
          + "RUN/gradcam/CHECKPOINT-NN.png.")
  int gradcam;

  @Option(names = "--confusion-png", description = "Also draw the confusion matrix to RUN/confusion-CHECKPOINT.png.")
  boolean confusionPng;

  @Option(names = "--verbose", description = "Stack traces on errors.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    limits.apply();
    // checked before the evaluation, not after it has run
    if (gradcam < 0 || gradcam > 1000) {
      throw new IllegalArgumentException("--gradcam must be between 0 and 1000 images, got " + gradcam);
    }
    RunDirectory run = RunDirectory.existing(runDir);
    try (DirectoryLock lock = run.lock()) {
      return evaluate(run);
    }
  }

  private int evaluate(RunDirectory run) throws Exception {
    Path checkpointDir = run.checkpoint(checkpoint);
    RunConfig config = run.readConfig();
    // the run's own test split keeps its class selection; another dataset is taken as it is
    LoadedData loaded = data != null ? LoadedData.load(data) : LoadedData.forRun(config);
    ImageSet test = loaded.splits().test();
    EvalResult result;
    try (InferenceModel model = new InferenceModel(config, test, checkpointDir, threads)) {
      result = model.evaluate(batchSize);
    }
    List<Path> figures = new ArrayList<>();
    if (confusionPng) {
      figures.add(EvalFigures.confusion(run.root(), checkpoint, config, loaded.spec(), result));
    }
    if (gradcam > 0) {
      figures.addAll(EvalFigures.gradCam(run.root(), checkpoint, config, checkpointDir, test, gradcam, threads));
    }
    Map<String, Object> report = report(config, loaded, result);
    Json.writeAtomically(run.root().resolve("eval-" + checkpoint + ".json"), report);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.PRETTY.writeValueAsString(report));
    } else {
      print(out, config.classNames(), result);
      out.println("written: " + run.root().resolve("eval-" + checkpoint + ".json"));
      figures.forEach(f -> out.println("written: " + f));
    }
    out.flush();
    return 0;
  }

  private Map<String, Object> report(RunConfig config, LoadedData loaded, EvalResult result) {
    return EvalReport.toMap(runDir, checkpoint, loaded.spec(), config.classNames(), result);
  }

  static void print(PrintWriter out, List<String> classes, EvalResult result) {
    out.printf(Locale.ROOT, "test accuracy %.4f  loss %.4f  (%d images)%n%n", result.accuracy(), result.loss(), result.count());
    int width = Math.max(5, classes.stream().mapToInt(String::length).max().orElse(5));
    double[] perClass = result.perClassAccuracy();
    out.printf(Locale.ROOT, "%-" + width + "s  accuracy%n", "class");
    for (int c = 0; c < classes.size(); c++) {
      out.printf(Locale.ROOT, "%-" + width + "s  %.4f%n", classes.get(c), perClass[c]);
    }
    out.printf(Locale.ROOT, "%nconfusion (rows: true class, columns: predicted)%n");
    for (int c = 0; c < classes.size(); c++) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", classes.get(c)));
      for (long v : result.confusion()[c]) {
        row.append(String.format(Locale.ROOT, " %5d", v));
      }
      out.println(row);
    }
  }
}

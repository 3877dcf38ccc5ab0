package dev.vprompt.cli;

import dev.vprompt.export.ExportRequest;
import dev.vprompt.export.ExportResult;
import dev.vprompt.export.ModelExporter;
import dev.vprompt.export.serving.ServedModel;
import dev.vprompt.export.tfserving.ServingConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vprompt export}: a run's checkpoint as a TF Serving SavedModel version. */
@Command(
    name = "export",
    usageHelpAutoWidth = true,
    description = {
      "Exports a run's checkpoint as a SavedModel in TF Serving's layout, OUT/VERSION/: an inference-only graph "
          + "(normalisation and prompt baked in; an additive prompt folded into one constant), signatures "
          + "serving_default (uint8 images) and predict_encoded (PNG/JPEG bytes), class names in assets/classes.txt.",
      "",
      "The version is written under a hidden name, loaded back and checked against the run's own inference graph "
          + "on test images of its dataset, and only then renamed into place."
    })
final class ExportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin DataLimitOptions limits;

  // No mixinStandardHelpOptions: its -V/--version would clash with --version, the model version.
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Option(names = "--run", paramLabel = "DIR", required = true, description = "The run directory.")
  Path runDir;

  @Option(names = "--checkpoint", defaultValue = "best", description = "best or last (default: ${DEFAULT-VALUE}).")
  String checkpoint;

  @Option(names = "--out", paramLabel = "DIR", required = true,
      description = "The model directory, e.g. models/NAME; the version goes below it.")
  Path out;

  @Option(names = "--version", paramLabel = "N",
      description = "The version to write (default: one more than the highest existing version, or 1).")
  Long version;

  @Option(names = "--verify-images", paramLabel = "N", defaultValue = "256",
      description = "Test images the written model is checked on (default: ${DEFAULT-VALUE}).")
  int verifyImages;

  @Option(names = "--threads", defaultValue = "0", description = "TensorFlow intra-op threads; 0 uses every core.")
  int threads;

  @Option(names = "--serving-config",
      description = "Also write TF Serving's models.config (this model added or updated) and batching_parameters.txt "
          + "next to OUT, i.e. in OUT's parent directory.")
  boolean servingConfig;

  @Option(names = "--serving-root", paramLabel = "PATH", defaultValue = "/models",
      description = "Where TF Serving sees OUT's parent directory, for models.config's base_path "
          + "(default: ${DEFAULT-VALUE}, the usual container mount).")
  String servingRoot;

  @Option(names = "--verbose", description = "Stack traces on errors.")
  boolean verbose;

  @Override
  public Integer call() {
    limits.apply();
    PrintWriter stdout = spec.commandLine().getOut();
    ExportRequest request = new ExportRequest(runDir, checkpoint, out, version, verifyImages, threads);
    ExportResult result = ModelExporter.export(request, stdout::println);
    stdout.println(result.verificationSummary());
    stdout.println("exported: " + result.directory() + " (version " + result.version() + ", signatures "
        + String.join(", ", result.signatures()) + ")");
    if (servingConfig) {
      try (ServedModel model = ServedModel.load(result.directory(), threads)) {
        ServingConfig.Written written = ServingConfig.write(out, servingRoot, model);
        stdout.println("TF Serving config: " + written.modelsConfig() + " (model " + written.model().getName()
            + ", base_path " + written.model().getBasePath() + "), " + written.batchingParameters()
            + " (max batch " + written.batching().getMaxBatchSize().getValue() + ", timeout "
            + written.batching().getBatchTimeoutMicros().getValue() + " us, "
            + written.batching().getNumBatchThreads().getValue() + " threads)");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the TF Serving config next to " + out + ": " + e.getMessage(), e);
      }
    }
    stdout.flush();
    return 0;
  }
}

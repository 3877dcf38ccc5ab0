package dev.vprompt.cli;

import dev.vprompt.export.ExportRequest;
import dev.vprompt.export.ExportResult;
import dev.vprompt.export.ModelExporter;
import java.io.PrintWriter;
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
    stdout.flush();
    return 0;
  }
}

package dev.vprompt.export;

import dev.vprompt.export.serving.ServedModel;
import dev.vprompt.export.tfserving.WarmupRequests;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.graph.prompts.FoldedPrompt;
import dev.vprompt.core.checkpoint.CheckpointIndex;
import dev.vprompt.core.checkpoint.CheckpointIo;
import dev.vprompt.core.data.ImageSet;
import dev.vprompt.core.data.LoadedData;
import dev.vprompt.core.eval.InferenceModel;
import dev.vprompt.core.run.RunConfig;
import dev.vprompt.core.run.RunDirectory;
import dev.vprompt.core.run.DirectoryLock;
import dev.vprompt.core.run.DiskSpace;
import dev.vprompt.core.run.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;

/**
 * Exports a run's checkpoint as a TF Serving model version: the inference graph of the run's spec with
 * an input-independent prompt folded into one constant, the checkpoint's weights for the variables
 * that graph reads (and no others), the class names as an asset. The version is staged under a hidden
 * name, loaded back and checked against the run's own inference graph, and only then renamed into place.
 */
public final class ModelExporter {

  /** Checks a staged model; the real one is {@link ExportVerifier#verify}. */
  @FunctionalInterface
  interface Check {
    Verification verify(Path modelDir, RunConfig config, Path checkpointDir, ImageSet sample, int threads);
  }

  private ModelExporter() {}

  /**
   * @param progress receives one line per step
   * @throws IllegalArgumentException for a missing or incomplete run, a checkpoint that does not fit the
   *     run's config, or an existing version
   * @throws ExportVerificationException when the written model does not compute what the run computes
   */
  public static ExportResult export(ExportRequest request, Consumer<String> progress) {
    return export(request, progress, ExportVerifier::verify);
  }

  static ExportResult export(ExportRequest request, Consumer<String> progress, Check check) {
    RunDirectory run = RunDirectory.existing(request.run());
    RunConfig config = run.readConfig();
    Path checkpointDir = run.checkpoint(request.checkpoint());
    Path prefix = checkpointDir.resolve(InferenceModel.MODEL_PREFIX);
    if (!CheckpointIndex.exists(prefix)) {
      throw new IllegalArgumentException(checkpointDir + ": no checkpoint there (missing " + prefix.getFileName()
          + ".index); has the run finished an epoch?");
    }
    ModelSpec spec = config.modelSpec();
    spec.createBackbone();
    requirePlainClassNames(config.classNames());
    ImageSet sample = verificationSample(config, request.verifyImages());
    Path modelDir = request.modelDir();
    boolean created = !Files.exists(modelDir);
    try {
      Files.createDirectories(modelDir);
    } catch (IOException e) {
      throw DiskSpace.writeFailure(modelDir, e);
    }
    boolean done = false;
    try (DirectoryLock lock = DirectoryLock.acquire(modelDir)) {
      ExportResult result = export(request, progress, check, config, checkpointDir, prefix, spec, sample);
      done = true;
      return result;
    } finally {
      if (created && !done) {
        removeIfOnlyLock(modelDir);
      }
    }
  }

  /** A model directory this export created and left with nothing but its lock file goes again. */
  private static void removeIfOnlyLock(Path modelDir) {
    try (java.util.stream.Stream<Path> entries = Files.list(modelDir)) {
      if (entries.allMatch(DirectoryLock::isLockFile)) {
        FileTrees.delete(modelDir);
      }
    } catch (IOException e) {
      // best effort: the export's own error is what the user needs to read
    }
  }

  private static ExportResult export(ExportRequest request, Consumer<String> progress, Check check, RunConfig config,
      Path checkpointDir, Path prefix, ModelSpec spec, ImageSet sample) {
    long version = ModelVersions.choose(request.modelDir(), request.version());
    Path target = request.modelDir().resolve(Long.toString(version));

    ModelSpec servingSpec = PromptFolding.fold(spec, prefix);
    boolean folded = servingSpec != spec;
    progress.accept(folded
        ? "prompt '" + spec.prompt().name() + "' folded into one constant field of " + spec.input()
        : "prompt '" + spec.prompt().name() + "' kept as it is (" + (spec.prompt() instanceof FoldedPrompt
            ? "already folded" : "it depends on the image") + ")");

    try (StagingDirectory staging = StagingDirectory.next(target)) {
      List<String> signatures;
      int variables;
      try (Graph graph = new Graph(); Session session = new Session(graph)) {
        ServingGraph serving = ServingGraph.build(graph, servingSpec);
        new CheckpointIo(Ops.create(graph).withSubScope("restore"), serving.variables()).restore(session, prefix);
        SavedModelWriter.write(staging.path(), session, serving.signatures(), config.classNames());
        signatures = serving.signatures().stream().map(Signature::key).toList();
        variables = serving.variables().size();
      }
      progress.accept("written: " + signatures + ", " + variables + " variables; loading it back to check it");
      Verification verification = check.verify(staging.path(), config, checkpointDir, sample, request.threads());
      writeWarmup(staging.path(), request, version, signatures, sample, progress);
      staging.commit();
      return new ExportResult(target, version, folded ? spec.prompt().name() : null, signatures, variables,
          verification);
    } catch (IOException e) {
      throw DiskSpace.writeFailure(target, e);
    } catch (RuntimeException e) {
      RuntimeException full = DiskSpace.ifFull(target, e);
      throw full != null ? full : e;
    }
  }

  /** TF Serving's warm-up records, replayed through the staged model before it is renamed into place. */
  private static void writeWarmup(Path staged, ExportRequest request, long version, List<String> signatures,
      ImageSet sample, Consumer<String> progress) throws IOException {
    String modelName = request.modelDir().toAbsolutePath().normalize().getFileName().toString();
    WarmupRequests.write(staged, WarmupRequests.build(modelName, version, signatures, sample));
    int replayed;
    try (ServedModel model = ServedModel.load(staged, request.threads())) {
      replayed = WarmupRequests.replay(model);
    }
    progress.accept("warm-up: " + replayed + " requests in " + WarmupRequests.FILE + ", each replayed through the "
        + "written model");
  }

  /**
   * The first test images of the run's dataset; for an imported run, which has none, seeded random
   * images of its input (the check compares two graphs, so any pixels do).
   */
  private static ImageSet verificationSample(RunConfig config, int count) {
    if (LoadedData.IMPORTED.equals(config.data())) {
      var input = config.inputSpec();
      int n = Math.max(1, Math.min(count, 32));
      byte[] pixels = new byte[Math.toIntExact(n * input.pixels())];
      new java.util.Random(config.training().seed()).nextBytes(pixels);
      return new ImageSet(pixels, new int[n], input.height(), input.width(), input.channels(), config.classNames());
    }
    ImageSet test = LoadedData.forRun(config).splits().test();
    int n = Math.min(count, test.count());
    if (n == 0) {
      throw new IllegalArgumentException("the run's dataset " + config.data() + " has no test images to check the "
          + "export on");
    }
    return test.subset(IntStream.range(0, n).toArray()).withClassNames(config.classNames());
  }

  /** One name per line in the asset: a name must not break lines. */
  private static void requirePlainClassNames(List<String> names) {
    for (String name : names) {
      if (name.isBlank() || name.contains("\n") || name.contains("\r") || !name.equals(name.strip())) {
        throw new IllegalArgumentException("class name '" + name + "' cannot be written one per line in "
            + SavedModelWriter.CLASSES_ASSET);
      }
    }
  }
}

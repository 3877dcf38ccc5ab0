package dev.vprompt.export;

import dev.vprompt.graph.Classifier;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.core.checkpoint.CheckpointIo;
import dev.vprompt.core.data.ClassNames;
import dev.vprompt.graph.prompts.msvp.MsvpSettings;
import dev.vprompt.graph.prompts.PromptSettings;
import dev.vprompt.core.run.RunConfig;
import dev.vprompt.core.run.RunDirectory;
import dev.vprompt.core.run.TrainingSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Run directories for export tests without training: config.json for the embedded Fashion-MNIST subset
 * and a best checkpoint holding freshly initialised weights (a prompt initialised N(0, 0.01) is not
 * zero, so folding it is a real test). Training is what the CLI tests do; here only the graph matters.
 */
final class RunFixtures {

  private RunFixtures() {}

  static PromptSettings msvp(String fusion) {
    return new PromptSettings("msvp", new MsvpSettings("full", fusion, 4, 8, 0.01f));
  }

  static PromptSettings none() {
    return PromptSettings.of("none");
  }

  static RunConfig config(String backbone, Integer patchSize, PromptSettings prompt) {
    TrainingSettings training =
        new TrainingSettings(1, 32, 1e-3, 1e-4, "adam", "all", "cosine", 0, 42, 0.1, "auto", 2, 1000);
    return new RunConfig("embedded", "fashion-mnist-small", "fashion-mnist", "28x28x1", ClassNames.FASHION_MNIST,
        backbone, patchSize, prompt, new float[] {0.2869f}, new float[] {0.3548f}, training, Map.of());
  }

  /** Writes {@code dir/config.json} and {@code dir/checkpoints/best/model.*}; returns the run directory. */
  static Path untrainedRun(Path dir, RunConfig config) throws Exception {
    return untrainedRun(dir, config, (tf, session, params) -> {});
  }

  /** Changes initialised weights in the session before they are saved. */
  interface WeightChange {
    void apply(Ops tf, Session session, ParameterStore params);
  }

  /** {@link #untrainedRun(Path, RunConfig)} with {@code change} applied to the initialised weights. */
  static Path untrainedRun(Path dir, RunConfig config, WeightChange change) throws Exception {
    RunDirectory run = RunDirectory.fresh(dir);
    run.create();
    run.writeConfig(config);
    ModelSpec spec = config.modelSpec();
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      ParameterStore params = new ParameterStore(tf, config.training().seed());
      Placeholder<TFloat32> images =
          tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(spec.input())));
      Classifier.fromScaled(BuildContext.root(tf.withSubScope("infer"), params, Mode.INFER), spec, images);
      Map<String, Variable<?>> variables = new LinkedHashMap<>();
      for (Parameter p : params.all()) {
        variables.put(p.name(), p.variable());
      }
      session.initialize();
      change.apply(tf, session, params);
      new CheckpointIo(tf, variables).save(session, run.checkpoint("best").resolve("model"));
    }
    return dir;
  }

  /**
   * Writes {@code dir/config.json} beside a copy of the run {@code from}'s best checkpoint, made for another
   * configuration; returns the run directory.
   */
  static Path runWithCheckpointOf(Path dir, RunConfig config, Path from) throws Exception {
    RunDirectory run = RunDirectory.fresh(dir);
    run.create();
    run.writeConfig(config);
    Path checkpoint = Files.createDirectories(run.checkpoint("best"));
    try (Stream<Path> files = Files.list(from.resolve("checkpoints/best"))) {
      for (Path file : files.toList()) {
        Files.copy(file, checkpoint.resolve(file.getFileName()));
      }
    }
    return dir;
  }
}

package dev.vprompt.core.eval;

import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.core.checkpoint.CheckpointIo;
import dev.vprompt.core.data.ImageSet;
import dev.vprompt.core.data.ResidentImages;
import dev.vprompt.core.run.RunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;

/** A run's inference graph restored from one of its checkpoints, over one resident image set. */
public final class InferenceModel implements AutoCloseable {

  /** The file prefix of the model tensors inside a checkpoint directory. */
  public static final String MODEL_PREFIX = "model";

  private final Graph graph = new Graph();
  private final Session session;
  private final Evaluator evaluator;
  private final ImageSet images;

  public InferenceModel(RunConfig config, ImageSet images, Path checkpointDir, int threads) {
    requireCompatible(config, images);
    Path prefix = checkpointDir.resolve(MODEL_PREFIX);
    if (!Files.isRegularFile(Path.of(prefix + ".index"))) {
      throw new IllegalArgumentException(checkpointDir + ": no checkpoint there (missing " + prefix + ".index)");
    }
    this.images = images;
    ModelSpec spec = config.modelSpec();
    Ops tf = Ops.create(graph);
    ParameterStore params = new ParameterStore(tf, config.training().seed());
    ResidentImages resident = new ResidentImages(tf, "eval", images);
    evaluator = new Evaluator(tf, "infer", params, spec, resident, images.labels());
    Map<String, Variable<?>> variables = new LinkedHashMap<>();
    for (Parameter p : params.all()) {
      variables.put(p.name(), p.variable());
    }
    CheckpointIo io = new CheckpointIo(tf.withSubScope("checkpoint"), variables);
    int intra = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    session = new Session(graph, ConfigProto.newBuilder().setIntraOpParallelismThreads(intra)
        .setInterOpParallelismThreads(Math.min(2, intra)).setAllowSoftPlacement(true).build());
    try {
      io.restore(session, prefix);
      resident.load(session, images);
    } catch (java.io.IOException e) {
      close();
      throw new java.io.UncheckedIOException("cannot read the checkpoint " + prefix + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private static void requireCompatible(RunConfig config, ImageSet images) {
    InputSpec input = config.inputSpec();
    if (images.height() != input.height() || images.width() != input.width() || images.channels() != input.channels()) {
      throw new IllegalArgumentException("the data has " + images.shape() + " images but the run was trained on "
          + input + " (resize them first)");
    }
    if (images.numClasses() > config.classNames().size()) {
      throw new IllegalArgumentException("the data has " + images.numClasses() + " classes but the run was trained on "
          + config.classNames().size());
    }
  }

  public EvalResult evaluate(int batchSize) {
    int[] rows = new int[images.count()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = i;
    }
    return evaluator.evaluate(session, rows, batchSize);
  }

  public float[] logits(int[] rows) {
    return evaluator.logits(session, rows);
  }

  public Session session() {
    return session;
  }

  public Graph graph() {
    return graph;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}

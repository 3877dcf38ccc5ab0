package dev.vprompt.studies.analysis;

import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.core.checkpoint.CheckpointIo;
import dev.vprompt.core.eval.InferenceModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;

/**
 * A session over an analysis graph whose variables (those in the store) are restored from a run's
 * checkpoint. The caller owns the graph; closing this closes the session only.
 */
final class RestoredSession implements AutoCloseable {

  private final Session session;

  RestoredSession(Graph graph, Ops tf, ParameterStore params, Path checkpointDir, int threads) {
    Path prefix = checkpointDir.resolve(InferenceModel.MODEL_PREFIX);
    if (!Files.isRegularFile(Path.of(prefix + ".index"))) {
      throw new IllegalArgumentException(checkpointDir + ": no checkpoint there (missing " + prefix + ".index)");
    }
    Map<String, Variable<?>> variables = new LinkedHashMap<>();
    for (Parameter p : params.all()) {
      variables.put(p.name(), p.variable());
    }
    CheckpointIo io = new CheckpointIo(tf.withSubScope("analysis_checkpoint"), variables);
    int intra = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    session = new Session(graph, ConfigProto.newBuilder().setIntraOpParallelismThreads(intra)
        .setInterOpParallelismThreads(Math.min(2, intra)).setAllowSoftPlacement(true).build());
    try {
      io.restore(session, prefix);
    } catch (IOException e) {
      session.close();
      throw new UncheckedIOException("cannot read the checkpoint " + prefix + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }

  Session session() {
    return session;
  }

  @Override
  public void close() {
    session.close();
  }
}

package dev.vprompt.core.checkpoint;

import dev.vprompt.ops.Decay;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.vprompt.ops.Init;
import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import dev.vprompt.train.optim.Optimizer;
import dev.vprompt.train.optim.OptimizerConfig;
import dev.vprompt.train.optim.OptimizerKind;
import dev.vprompt.train.optim.TrainOp;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** Weights plus optimizer state in one checkpoint: a resumed run continues bit-identically. */
class ResumeFromCheckpointTest {
  @TempDir Path dir;

  @Test
  void resumingFromWeightsAndOptimizerStateContinuesTheSameRun() throws IOException {
    Path prefix = dir.resolve("last/model");
    float[] uninterrupted;
    try (Run run = new Run(true)) {
      run.steps(2);
      run.io.save(run.session, prefix);
      run.steps(3);
      uninterrupted = run.weights();
    }
    try (Run resumed = new Run(true)) {
      resumed.io.restore(resumed.session, prefix);
      assertEquals(2, resumed.stepCounter());
      resumed.steps(3);
      assertArrayEquals(uninterrupted, resumed.weights());
      assertEquals(5, resumed.stepCounter());
    }
    try (Run weightsOnly = new Run(false)) {
      weightsOnly.io.restore(weightsOnly.session, prefix);
      weightsOnly.steps(3);
      assertFalse(Arrays.equals(uninterrupted, weightsOnly.weights()), "Adam's moments matter");
    }
  }

  /** A small Adam run; its checkpoint holds the weight and, optionally, the optimizer's state. */
  private static final class Run implements AutoCloseable {
    final Graph graph = new Graph();
    final Session session;
    final CheckpointIo io;
    final Parameter weight;
    final TrainOp train;

    Run(boolean withOptimizerState) {
      Ops tf = Ops.create(graph);
      ParameterStore store = new ParameterStore(tf, 5);
      weight = store.weight("head.kernel", Shape.of(4), Init.normal(1f), Decay.DECAYED);
      Operand<TFloat32> w = weight.variable();
      Operand<TFloat32> loss =
          tf.reduceSum(tf.math.mul(tf.math.mul(w, w), tf.math.sub(w, tf.constant(0.5f))), tf.constant(0));
      train = Optimizer.minimize(
          tf, graph, loss, store.trainable(), OptimizerConfig.of(OptimizerKind.ADAM, 0.01),
          tf.constant(0.05f), List.of());
      Map<String, org.tensorflow.op.core.Variable<?>> variables = new LinkedHashMap<>();
      variables.put(weight.name(), weight.variable());
      if (withOptimizerState) {
        variables.putAll(train.state());
      }
      io = new CheckpointIo(tf, variables);
      session = new Session(graph);
      session.initialize();
    }

    void steps(int count) {
      for (int i = 0; i < count; i++) {
        session.run(train.step());
      }
    }

    float[] weights() {
      try (Result result = session.runner().fetch(weight.variable()).run()) {
        return Tensors.toFloats(result.get(0));
      }
    }

    long stepCounter() {
      try (Result result = session.runner().fetch(train.stepCounter()).run()) {
        return ((TInt64) result.get(0)).getObject();
      }
    }

    @Override
    public void close() {
      session.close();
      graph.close();
    }
  }
}

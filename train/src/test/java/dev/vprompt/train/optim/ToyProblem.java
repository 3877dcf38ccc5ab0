package dev.vprompt.train.optim;

import dev.vprompt.ops.Decay;
import dev.vprompt.ops.Init;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A loss whose gradient is known in closed form, built in a graph with the optimizer under test:
 * {@code L = sum(c k) + sum(d k^2) + sum(e (b - t)^2)} over a decayed kernel {@code k} and a non-decayed
 * bias {@code b}, so {@code dL/dk = c + 2 d k} and {@code dL/db = 2 e (b - t)}.
 */
final class ToyProblem implements AutoCloseable {
  static final float[] KERNEL = {0.5f, -1.2f, 2.0f};
  static final float[] BIAS = {0.3f, -0.7f};
  static final float[] C = {0.7f, -0.3f, 1.1f};
  static final float[] D = {0.25f, 0.5f, 0.1f};
  static final float[] E = {1.5f, 0.8f};
  static final float[] T = {1.0f, -2.0f};

  final Graph graph = new Graph();
  final Ops tf = Ops.create(graph);
  final ParameterStore store = new ParameterStore(tf, 1);
  final PlaceholderWithDefault<TFloat32> learningRate =
      tf.placeholderWithDefault(tf.constant(1e-3f), Shape.scalar());
  final TrainOp train;
  private final Session session;

  ToyProblem(OptimizerConfig config) {
    var kernel = store.weight("head.kernel", Shape.of(3), values(KERNEL), Decay.DECAYED);
    var bias = store.weight("head.bias", Shape.of(2), values(BIAS), Decay.NOT_DECAYED);
    Operand<TFloat32> k = kernel.variable();
    Operand<TFloat32> linear = tf.reduceSum(tf.math.mul(tf.constant(C), k), tf.constant(0));
    Operand<TFloat32> quadratic =
        tf.reduceSum(tf.math.mul(tf.constant(D), tf.math.mul(k, k)), tf.constant(0));
    Operand<TFloat32> offset = tf.math.sub(bias.variable(), tf.constant(T));
    Operand<TFloat32> biasTerm =
        tf.reduceSum(tf.math.mul(tf.constant(E), tf.math.mul(offset, offset)), tf.constant(0));
    Operand<TFloat32> loss = tf.math.add(tf.math.add(linear, quadratic), biasTerm);
    train = Optimizer.minimize(tf, graph, loss, store.trainable(), config, learningRate, List.of());
    session = new Session(graph);
    session.initialize();
  }

  static Init values(float[] values) {
    return (initOps, shape, seed) -> initOps.constant(values);
  }

  /** The closed-form gradients at the given weights (kernel, bias). */
  static List<double[]> gradient(List<double[]> weights) {
    double[] k = weights.get(0);
    double[] b = weights.get(1);
    double[] gk = new double[k.length];
    double[] gb = new double[b.length];
    for (int i = 0; i < k.length; i++) {
      gk[i] = C[i] + 2.0 * D[i] * k[i];
    }
    for (int i = 0; i < b.length; i++) {
      gb[i] = 2.0 * E[i] * (b[i] - T[i]);
    }
    return List.of(gk, gb);
  }

  void step(float lr) {
    try (TFloat32 rate = TFloat32.scalarOf(lr)) {
      // nothing is fetched: the step's effect is in the variables
      session.runner().feed(learningRate, rate).addTarget(train.step()).run().close();
    }
  }

  float[] values(String name) {
    try (Result result = session.runner().fetch(store.get(name).variable()).run()) {
      return Tensors.toFloats(result.get(0));
    }
  }

  long stepCounter() {
    try (Result result = session.runner().fetch(train.stepCounter()).run()) {
      return ((TInt64) result.get(0)).getObject();
    }
  }

  static double[] widen(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}

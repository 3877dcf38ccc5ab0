package dev.vprompt.train.bench;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The machine's practical float32 FLOP/s as TensorFlow sees it: a square MatMul between two resident
 * variables, run as a target (nothing copied back), in a session with the given threads. Timed inside
 * the benchmark's rounds, so that the models' "% of GEMM" is measured under the same load.
 */
final class GemmReference implements AutoCloseable {

  private final Graph graph = new Graph();
  private final Session session;
  private final MatMul<TFloat32> product;
  private final int n;

  GemmReference(int n, ConfigProto config) {
    this.n = n;
    Ops tf = Ops.create(graph);
    Variable<TFloat32> a = tf.variable(tf.random.statelessRandomUniform(tf.constant(new long[] {n, n}),
        tf.constant(new long[] {1, 2}), TFloat32.class));
    Variable<TFloat32> b = tf.variable(tf.random.statelessRandomUniform(tf.constant(new long[] {n, n}),
        tf.constant(new long[] {3, 4}), TFloat32.class));
    product = tf.linalg.matMul(a, b);
    session = new Session(graph, config);
    session.initialize();
  }

  /** GFLOP/s of {@code times} products run back to back. */
  double gflops(int times) {
    long start = System.nanoTime();
    for (int i = 0; i < times; i++) {
      session.runner().addTarget(product).run().close();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return 2.0 * n * n * (double) n * times / seconds / 1e9;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}

package dev.vprompt.ops;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * Sessions for tests that run a graph a handful of times to check what it computes: with Grappler, the
 * graph optimiser, off. Grappler rewrites a graph once per set of fetches, which a training run repays over
 * thousands of steps but a test does not (measured on a ViT-Tiny training graph: 19.5 s with it, 4.4 s
 * without, for one run of its gradients). What the tests check, values and gradients, does not depend on
 * it; the tests of speed and of the kernels that run keep TensorFlow's defaults.
 */
public final class TestSessions {

  public static final ConfigProto UNOPTIMISED = ConfigProto.newBuilder()
      .setGraphOptions(GraphOptions.newBuilder()
          .setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true)))
      .build();

  private TestSessions() {}

  public static Session open(Graph graph) {
    return new Session(graph, UNOPTIMISED);
  }
}

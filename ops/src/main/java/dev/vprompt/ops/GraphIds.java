package dev.vprompt.ops;

import java.lang.reflect.Field;
import java.util.Map;
import org.tensorflow.Graph;

/**
 * Works around a TensorFlow Java 1.1 bug that makes {@code addGradients} fail with "Graph not found" in a
 * JVM that has built many graphs. Java-registered gradients (vprompt's cross-entropy) find their graph in
 * a {@code WeakHashMap} keyed by the native graph's address. When a new graph reuses a closed graph's
 * address, the map keeps the closed graph's key object; once the garbage collector takes it, the entry
 * goes and the live graph is "not found" (measured: the GPU readiness check failed on its 5th model with
 * -Xmx200m, its 11th with -Xmx3g). Re-inserting the live graph under its own key fixes it.
 */
public final class GraphIds {
  private GraphIds() {}

  /** Call right after {@code new Graph()} on graphs that will be differentiated. */
  @SuppressWarnings("unchecked")
  public static Graph pin(Graph graph) {
    try {
      Field all = Graph.class.getDeclaredField("ALL_GRAPHS");
      all.setAccessible(true);
      Field id = Graph.class.getDeclaredField("nativeId");
      id.setAccessible(true);
      Map<Object, Graph> graphs = (Map<Object, Graph>) all.get(null);
      Object key = id.get(graph);
      synchronized (graphs) {
        graphs.remove(key);
        graphs.put(key, graph);
      }
      return graph;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("TensorFlow Java's graph registry is not accessible (written against "
          + "tensorflow-core-api 1.1.0): " + e, e);
    }
  }
}

package dev.vprompt.ops.placement;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;

/**
 * The two handles TensorFlow Java 1.1 keeps package-private that the C API it ships needs: a graph's
 * {@code TF_Graph} (to import a placed copy of ops into it) and the {@code Session(Graph, TF_Session)}
 * constructor (to wrap a session whose target is a remote master). Reflection on the classpath, with an
 * error naming the TensorFlow Java version this was written against if either is gone.
 */
final class NativeHandles {
  private NativeHandles() {}

  static TF_Graph graph(Graph graph) {
    try {
      Field field = Graph.class.getDeclaredField("nativeHandle");
      field.setAccessible(true);
      TF_Graph handle = (TF_Graph) field.get(graph);
      if (handle == null || handle.isNull()) {
        throw new IllegalStateException("the graph is closed");
      }
      return handle;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw unsupported("Graph.nativeHandle", e);
    }
  }

  static Session session(Graph graph, TF_Session handle) {
    try {
      Constructor<Session> constructor = Session.class.getDeclaredConstructor(Graph.class, TF_Session.class);
      constructor.setAccessible(true);
      return constructor.newInstance(graph, handle);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw unsupported("Session(Graph, TF_Session)", e);
    }
  }

  private static IllegalStateException unsupported(String what, Exception cause) {
    if (cause instanceof IllegalStateException closed && closed.getMessage() != null
        && closed.getMessage().contains("closed")) {
      return closed;
    }
    return new IllegalStateException("TensorFlow Java's " + what + " is not accessible (written against "
        + "tensorflow-core-api 1.1.0): " + cause, cause);
  }
}

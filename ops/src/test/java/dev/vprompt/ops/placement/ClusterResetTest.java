package dev.vprompt.ops.placement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.ops.Tensors;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Server;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * {@link ClusterReset} against a two-task cluster served from this JVM on 127.0.0.1: variables outlive a
 * client's session on both tasks until the clear, and the clear closes the sessions still open.
 */
@Timeout(120)
class ClusterResetTest {
  private static Server worker0;
  private static Server worker1;
  private static SessionSpec cluster;

  @BeforeAll
  static void startCluster() throws IOException {
    ClusterSpec spec = new ClusterSpec(Map.of(ClusterSpec.WORKER,
        List.of("127.0.0.1:" + freePort(), "127.0.0.1:" + freePort())));
    worker0 = new Server(spec.serverDef(ClusterSpec.WORKER, 0));
    worker0.start();
    worker1 = new Server(spec.serverDef(ClusterSpec.WORKER, 1));
    worker1.start();
    cluster = new SessionSpec(DeviceLayout.SINGLE, false, false, spec.masterTarget(), 15_000);
  }

  // no @AfterAll: TensorFlow's gRPC server has no clean shutdown ("not currently implemented"); the two
  // servers end with the test JVM

  @Test
  void variablesOutliveTheClientSessionUntilTheClusterIsCleared() {
    ClusterReset.clear(cluster);
    // a first client: w on the master's task, v on the other task
    try (Graph graph = new Graph()) {
      Variables vars = new Variables(graph, new float[] {1f, 2f}, new float[] {3f, 4f});
      try (Session session = cluster.open(graph, 1)) {
        session.initialize();
        assertArrayEquals(new float[] {3f, 4f}, read(session, vars.v), 0f);
      }
    }
    // a second client with v of another shape: its initialiser fails on the kept variable
    try (Graph graph = new Graph()) {
      Variables vars = new Variables(graph, new float[] {1f, 2f}, new float[] {5f, 6f, 7f});
      try (Session session = cluster.open(graph, 1)) {
        RuntimeException kept = assertThrows(RuntimeException.class, session::initialize);
        assertTrue(kept.getMessage().contains("Assign requires shapes of both tensors to match"), kept.getMessage());
      }
    }
    // and a client that only declares w (no initialiser) reads the first client's values
    try (Graph graph = new Graph()) {
      Variable<TFloat32> w = declared(graph, 2);
      try (Session session = cluster.open(graph, 1)) {
        assertArrayEquals(new float[] {1f, 2f}, read(session, w), 0f);
      }
    }

    ClusterReset.clear(cluster);
    try (Graph graph = new Graph()) {
      Variable<TFloat32> w = declared(graph, 2);
      try (Session session = cluster.open(graph, 1)) {
        RuntimeException gone = assertThrows(RuntimeException.class, () -> read(session, w));
        assertTrue(gone.getMessage().contains("uninitialized"), gone.getMessage());
      }
    }
    try (Graph graph = new Graph()) {
      Variables vars = new Variables(graph, new float[] {1f, 2f}, new float[] {5f, 6f, 7f});
      try (Session session = cluster.open(graph, 1)) {
        session.initialize();
        assertArrayEquals(new float[] {5f, 6f, 7f}, read(session, vars.v), 0f);
      }
    }
  }

  @Test
  void aClearClosesTheSessionsOfOtherClients() {
    try (Graph graph = new Graph()) {
      Variables vars = new Variables(graph, new float[] {1f}, new float[] {2f});
      ClusterReset.clear(cluster);
      try (Session other = cluster.open(graph, 1)) {
        other.initialize();
        read(other, vars.w);
        ClusterReset.clear(cluster);
        RuntimeException closed = assertThrows(RuntimeException.class, () -> read(other, vars.w));
        // the master's answer that the CLI turns into "another client started on the same cluster"
        assertTrue(Pattern.compile("Session \\S+ is not found").matcher(closed.getMessage()).find(),
            closed.getMessage());
      }
    }
  }

  @Test
  void anInProcessSessionOrAnUnreachableMasterIsRefused() throws IOException {
    assertThrows(IllegalArgumentException.class, () -> ClusterReset.clear(SessionSpec.LOCAL));
    assertThrows(IllegalArgumentException.class, () -> ClusterReset.clear(cluster, 0));
    SessionSpec nobody = new SessionSpec(DeviceLayout.SINGLE, false, false, "grpc://127.0.0.1:" + freePort(), 0);
    long start = System.nanoTime();
    IllegalStateException down = assertThrows(IllegalStateException.class, () -> ClusterReset.clear(nobody, 2000));
    double seconds = (System.nanoTime() - start) / 1e9;
    assertTrue(down.getMessage().contains(nobody.target()), down.getMessage());
    assertTrue(seconds < 30, "gave up after " + seconds + " s");
  }

  /** w on worker task 0 (the master), v on worker task 1. */
  private static final class Variables {
    final Variable<TFloat32> w;
    final Variable<TFloat32> v;

    Variables(Graph graph, float[] w, float[] v) {
      Ops tf = Ops.create(graph);
      this.w = tf.withDevice(DeviceSpec.newBuilder().job(ClusterSpec.WORKER).task(0).build()).withName("w")
          .variable(tf.constant(w));
      this.v = tf.withDevice(DeviceSpec.newBuilder().job(ClusterSpec.WORKER).task(1).build()).withName("v")
          .variable(tf.constant(v));
    }
  }

  /** w as a client sees it that declares it without an initialiser. */
  private static Variable<TFloat32> declared(Graph graph, int size) {
    Ops tf = Ops.create(graph);
    return tf.withDevice(DeviceSpec.newBuilder().job(ClusterSpec.WORKER).task(0).build()).withName("w")
        .variable(Shape.of(size), TFloat32.class);
  }

  private static float[] read(Session session, Variable<TFloat32> variable) {
    try (Result result = session.runner().fetch(variable).run()) {
      return Tensors.toFloats(result.get(0));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}

package dev.vprompt.ops.placement;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_Reset;

import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.PointerScope;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.ConfigProto;

/**
 * Clears what a cluster's TensorFlow servers keep between client sessions. A server's variables live in
 * its resource manager, not in the client's session, so a second client would find the first one's: a
 * same-named variable of another shape then fails its initialiser ({@code Assign requires shapes of both
 * tensors to match}), and one of the same shape silently holds the old values until it is assigned.
 *
 * <p>This is the C API's {@code TF_Reset} (what Python's {@code tf.compat.v1.Session.reset} calls) with no
 * container named: every task of the master's cluster (workers and ps) drops its default container,
 * where every vprompt variable lives, and the master closes <em>every</em> session it holds, also another
 * client's. Hence one client per cluster at a time.
 */
public final class ClusterReset {
  /** The bound of a clear whose session has no operation timeout: the master waits for each task. */
  static final long DEFAULT_TIMEOUT_MS = 120_000;

  private ClusterReset() {}

  /**
   * Clears the cluster whose master is the session's target, waiting at most its operation timeout
   * (without one, {@link #DEFAULT_TIMEOUT_MS}). Close this client's own session on the cluster first: it
   * is closed too.
   */
  public static void clear(SessionSpec session) {
    clear(session, session.operationTimeoutMs() > 0 ? session.operationTimeoutMs() : DEFAULT_TIMEOUT_MS);
  }

  /** As {@link #clear(SessionSpec)}, waiting at most {@code timeoutMs} for the master's answer. */
  public static void clear(SessionSpec session, long timeoutMs) {
    if (session.target() == null) {
      throw new IllegalArgumentException("only a cluster session (a grpc:// target) has server state to clear");
    }
    if (timeoutMs <= 0) {
      // no deadline: the call would wait for an unreachable master forever
      throw new IllegalArgumentException("a clear needs a positive timeout, got " + timeoutMs);
    }
    ConfigProto config = ConfigProto.newBuilder().setOperationTimeoutInMs(timeoutMs).build();
    try (PointerScope scope = new PointerScope()) {
      TF_SessionOptions options = session.remoteOptions(config);
      TF_Status status = TF_Status.newStatus();
      // no containers named: each task's default container, where variables without a container live
      TF_Reset(options, (PointerPointer<?>) null, 0, status);
      try {
        status.throwExceptionIfNotOK();
      } catch (RuntimeException e) {
        throw new IllegalStateException("could not clear the variables the cluster's tasks hold (master "
            + session.target() + "): " + e.getMessage(), e);
      }
    }
  }
}

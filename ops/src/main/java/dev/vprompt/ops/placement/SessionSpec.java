package dev.vprompt.ops.placement;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetConfig;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetTarget;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * How a training session is opened: its device layout, GPU memory growth, Grappler's automatic mixed
 * precision, and the master it talks to ({@code null}: in process; {@code grpc://host:port}: a
 * TensorFlow server of a cluster). TensorFlow Java's public {@code Session} has no target; this sets it
 * through the C API's {@code TF_SetTarget}.
 *
 * @param operationTimeoutMs for a remote master, how long one step may block (a dead worker otherwise
 *     hangs the client forever); 0: no limit
 */
public record SessionSpec(DeviceLayout layout, boolean allowGrowth, boolean mixedPrecision, String target,
    long operationTimeoutMs) {

  public static final SessionSpec LOCAL = new SessionSpec(DeviceLayout.SINGLE, false, false, null, 0);

  public static SessionSpec local(DeviceLayout layout) {
    return new SessionSpec(layout, false, false, null, 0);
  }

  public SessionSpec {
    if (target != null && !target.matches("grpc://[^\\s/]+:\\d+")) {
      throw new IllegalArgumentException("a session target is grpc://host:port, got '" + target + "'");
    }
    if (operationTimeoutMs < 0) {
      throw new IllegalArgumentException("the operation timeout must not be negative, got " + operationTimeoutMs);
    }
  }

  public SessionSpec withLayout(DeviceLayout other) {
    return new SessionSpec(other, allowGrowth, mixedPrecision, target, operationTimeoutMs);
  }

  public SessionSpec withOptions(boolean growth, boolean mixed) {
    return new SessionSpec(layout, growth, mixed, target, operationTimeoutMs);
  }

  /**
   * Intra-op threads as asked (0: all cores), inter-op threads enough to run the towers side by side,
   * virtual CPU devices for CPU towers.
   */
  public ConfigProto config(int threads) {
    int intra = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    ConfigProto.Builder config = ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(intra)
        .setInterOpParallelismThreads(Math.max(Math.min(2, intra), layout.towers().size()))
        .setAllowSoftPlacement(true);
    if (layout.localCpuDevices() > 1) {
      config.putDeviceCount("CPU", layout.localCpuDevices());
    }
    if (allowGrowth) {
      config.setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
    }
    if (mixedPrecision) {
      config.setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(
          RewriterConfig.newBuilder().setAutoMixedPrecision(RewriterConfig.Toggle.ON)));
    }
    if (target != null && operationTimeoutMs > 0) {
      config.setOperationTimeoutInMs(operationTimeoutMs);
    }
    return config.build();
  }

  /** A session on the graph: TensorFlow Java's own constructor in process, the C API's for a target. */
  public Session open(Graph graph, int threads) {
    ConfigProto config = config(threads);
    if (target == null) {
      return new Session(graph, config);
    }
    try (PointerScope scope = new PointerScope()) {
      TF_SessionOptions options = remoteOptions(config);
      TF_Status status = TF_Status.newStatus();
      TF_Session handle = TF_Session.newSession(NativeHandles.graph(graph), options, status);
      status.throwExceptionIfNotOK();
      // as TensorFlow Java's own Session.allocate: the session outlives this scope
      handle.retainReference();
      return NativeHandles.session(graph, handle);
    }
  }

  /** The C API's options for a session (or a reset) against the target; allocated in the caller's scope. */
  TF_SessionOptions remoteOptions(ConfigProto config) {
    if (target == null) {
      throw new IllegalStateException("an in-process session has no target");
    }
    TF_SessionOptions options = TF_SessionOptions.newSessionOptions();
    TF_SetTarget(options, target);
    byte[] bytes = config.toByteArray();
    TF_Status status = TF_Status.newStatus();
    TF_SetConfig(options, new BytePointer(bytes), bytes.length, status);
    status.throwExceptionIfNotOK();
    return options;
  }
}

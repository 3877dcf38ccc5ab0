package dev.vprompt.ops;

import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;

/** What TensorFlow can run on in this process. */
public final class Devices {
  private static Boolean gpu;

  private Devices() {}

  /**
   * True when TensorFlow places an op on {@code /GPU:0} with soft placement off, i.e. when the GPU native
   * build is on the classpath and CUDA finds a device.
   */
  public static synchronized boolean gpuAvailable() {
    if (gpu == null) {
      gpu = probeGpu();
    }
    return gpu;
  }

  /** How many GPUs TensorFlow can place on (probing /GPU:0, /GPU:1, ... up to 16). */
  public static synchronized int gpuCount() {
    if (!gpuAvailable()) {
      return 0;
    }
    int n = 1;
    while (n < 16 && probeGpu(n)) {
      n++;
    }
    return n;
  }

  private static boolean probeGpu() {
    return probeGpu(0);
  }

  private static boolean probeGpu(int index) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph).withDevice(DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(index).build());
      var sum = tf.math.add(tf.constant(1f), tf.constant(2f));
      ConfigProto config = ConfigProto.newBuilder().setAllowSoftPlacement(false).build();
      try (Session session = new Session(graph, config); Result result = session.runner().fetch(sum).run()) {
        return true;
      }
    } catch (RuntimeException noGpu) {
      return false;
    }
  }
}

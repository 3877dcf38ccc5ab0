package dev.vprompt.ops.placement;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetRegisteredKernelsForOp;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.KernelDef;
import org.tensorflow.proto.KernelList;
import org.tensorflow.proto.NodeDef;

/**
 * The kernels the loaded TensorFlow native library registers ({@code TF_GetRegisteredKernelsForOp}), and
 * whether one exists for a node on a device type given the node's type attributes. The GPU build
 * registers its GPU kernels on a machine without a GPU, so this answers for GPUs without one.
 */
public final class KernelRegistry {

  private final Map<String, List<KernelDef>> byOp = new HashMap<>();

  public KernelRegistry() {
    TensorFlow.version(); // loads the native library
  }

  public synchronized List<KernelDef> kernels(String op) {
    return byOp.computeIfAbsent(op, KernelRegistry::load);
  }

  private static List<KernelDef> load(String op) {
    try (PointerScope scope = new PointerScope()) {
      TF_Status status = TF_Status.newStatus();
      TF_Buffer buffer = TF_GetRegisteredKernelsForOp(op, status);
      status.throwExceptionIfNotOK();
      return KernelList.parseFrom(buffer.dataAsByteBuffer()).getKernelList();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("TensorFlow returned an unreadable kernel list for " + op, e);
    }
  }

  /**
   * Whether some kernel of the node's op on the device type accepts the node's type attributes; kernels
   * registered for {@code DEFAULT} (TensorFlow 2.x's any-device registrations, e.g. NoOp) count.
   */
  public boolean hasKernel(NodeDef node, String deviceType) {
    for (KernelDef kernel : kernels(node.getOp())) {
      boolean device = kernel.getDeviceType().equals(deviceType) || kernel.getDeviceType().equals("DEFAULT");
      if (device && accepts(kernel, node)) {
        return true;
      }
    }
    return false;
  }

  private static boolean accepts(KernelDef kernel, NodeDef node) {
    for (KernelDef.AttrConstraint constraint : kernel.getConstraintList()) {
      AttrValue value = node.getAttrMap().get(constraint.getName());
      if (value == null) {
        continue; // a defaulted attribute: the kernel's registration decides
      }
      List<org.tensorflow.proto.DataType> allowed = constraint.getAllowedValues().getList().getTypeList();
      if (value.hasList()) {
        if (!allowed.containsAll(value.getList().getTypeList())) {
          return false;
        }
      } else if (value.getValueCase() == AttrValue.ValueCase.TYPE && !allowed.contains(value.getType())) {
        return false;
      }
    }
    return true;
  }
}

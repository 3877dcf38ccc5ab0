package dev.vprompt.ops.placement;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteImportGraphDefOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GraphImportGraphDef;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_ImportGraphDefOptionsAddInputMapping;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_ImportGraphDefOptionsRemapControlDependency;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_ImportGraphDefOptionsSetPrefix;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewImportGraphDefOptions;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.bytedeco.javacpp.PointerScope;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.internal.c_api.TF_ImportGraphDefOptions;
import org.tensorflow.internal.c_api.TF_Output;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Copies a set of a graph's ops into the same graph under a new name prefix with a device on every copy
 * that had none, wired to the originals' inputs from outside the set.
 *
 * <p>Why: {@code Graph.addGradients} (TensorFlow's C++ symbolic gradients) creates the backward ops without
 * a device, so TensorFlow's placer puts every tower's backward pass on the first device. Copying each
 * tower's gradient ops onto the tower's device is what Python's {@code colocate_gradients_with_ops} does.
 * The originals stay in the graph, unplaced and never run.
 */
public final class SubgraphPlacement {

  /** The copy of one set of ops. */
  public record Copy(Graph graph, String prefix) {
    /** The copy of an original op's output. */
    public Output<?> of(Output<?> original) {
      GraphOperation copy = graph.operation(prefix + "/" + original.op().name());
      if (copy == null) {
        throw new IllegalArgumentException("op '" + original.op().name() + "' was not copied");
      }
      return copy.output(original.index());
    }

    public GraphOperation of(GraphOperation original) {
      GraphOperation copy = graph.operation(prefix + "/" + original.name());
      if (copy == null) {
        throw new IllegalArgumentException("op '" + original.name() + "' was not copied");
      }
      return copy;
    }
  }

  /** TensorFlow's colocation attribute and the prefix of its entries. */
  private static final String COLOCATION = "_class";
  private static final String COLOCATION_PREFIX = "loc:@";

  private SubgraphPlacement() {}

  /**
   * @param selected which ops (by name) to copy
   * @param device set on every copied op that had no device of its own, unless it is colocated with an op
   *     outside the set that has one (then that op's)
   * @param prefix names the copies {@code prefix/<original name>}; must not be used in the graph yet
   */
  public static Copy copyOnto(Graph graph, Predicate<String> selected, String device, String prefix) {
    if (graph.operation(prefix) != null || prefixUsed(graph, prefix)) {
      throw new IllegalArgumentException("the prefix '" + prefix + "' is already used in the graph");
    }
    GraphDef all = graph.toGraphDef();
    Set<String> names = new HashSet<>();
    Map<String, String> devices = new HashMap<>();
    List<NodeDef> chosen = new ArrayList<>();
    for (NodeDef node : all.getNodeList()) {
      devices.put(node.getName(), node.getDevice());
      if (selected.test(node.getName())) {
        names.add(node.getName());
        chosen.add(node);
      }
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("no op to copy under prefix '" + prefix + "'");
    }
    GraphDef.Builder part = GraphDef.newBuilder().setVersions(all.getVersions());
    for (NodeDef node : chosen) {
      part.addNode(placed(node, names, devices, device));
    }
    try (PointerScope scope = new PointerScope()) {
      TF_ImportGraphDefOptions options = TF_NewImportGraphDefOptions();
      try {
        TF_ImportGraphDefOptionsSetPrefix(options, prefix);
        Set<String> mapped = new HashSet<>();
        for (NodeDef node : part.getNodeList()) {
          for (String input : node.getInputList()) {
            mapOutside(graph, options, input, names, mapped);
          }
        }
        TF_Buffer buffer = TF_Buffer.newBufferFromString(part.build());
        TF_Status status = TF_Status.newStatus();
        TF_GraphImportGraphDef(NativeHandles.graph(graph), buffer, options, status);
        status.throwExceptionIfNotOK();
      } finally {
        TF_DeleteImportGraphDefOptions(options);
      }
    }
    return new Copy(graph, prefix);
  }

  /**
   * The node as copied: on its own device, else on the device of an op outside the set it is colocated
   * with, else on {@code device}. TensorFlow's gather gradient, for one, colocates a {@code Shape} with
   * the gathered tensor ({@code _class: loc:@op}, as Python's {@code colocate_with}); ImportGraphDef refuses
   * a colocation with an op it does not import, and would rename it with the prefix besides. So such an
   * entry is dropped and its device taken instead; entries naming ops inside the set stay and ImportGraphDef
   * points them at the copies.
   */
  private static NodeDef placed(NodeDef node, Set<String> inside, Map<String, String> devices, String device) {
    AttrValue colocation = node.getAttrOrDefault(COLOCATION, null);
    List<ByteString> kept = new ArrayList<>();
    String colocatedDevice = "";
    if (colocation != null) {
      for (ByteString entry : colocation.getList().getSList()) {
        String text = entry.toStringUtf8();
        String op = text.startsWith(COLOCATION_PREFIX) ? text.substring(COLOCATION_PREFIX.length()) : null;
        if (op == null || inside.contains(op)) {
          kept.add(entry);
        } else if (colocatedDevice.isEmpty()) {
          colocatedDevice = devices.getOrDefault(op, "");
        }
      }
    }
    NodeDef.Builder copy = node.toBuilder();
    if (node.getDevice().isEmpty()) {
      copy.setDevice(colocatedDevice.isEmpty() ? device : colocatedDevice);
    }
    if (colocation != null) {
      if (kept.isEmpty()) {
        copy.removeAttr(COLOCATION);
      } else {
        copy.putAttr(COLOCATION, AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder().addAllS(kept)).build());
      }
    }
    return copy.build();
  }

  private static void mapOutside(Graph graph, TF_ImportGraphDefOptions options, String input, Set<String> inside,
      Set<String> mapped) {
    boolean control = input.startsWith("^");
    String tensor = control ? input.substring(1) : input;
    int colon = tensor.lastIndexOf(':');
    String op = colon < 0 ? tensor : tensor.substring(0, colon);
    int index = colon < 0 ? 0 : Integer.parseInt(tensor.substring(colon + 1));
    if (inside.contains(op) || !mapped.add(input)) {
      return;
    }
    GraphOperation source = graph.operationOrThrow(op);
    if (control) {
      TF_ImportGraphDefOptionsRemapControlDependency(options, op, source.getUnsafeNativeHandle());
    } else {
      TF_Output output = new TF_Output().oper(source.getUnsafeNativeHandle()).index(index);
      TF_ImportGraphDefOptionsAddInputMapping(options, op, index, output);
    }
  }

  private static boolean prefixUsed(Graph graph, String prefix) {
    var operations = graph.operations();
    while (operations.hasNext()) {
      if (operations.next().name().startsWith(prefix + "/")) {
        return true;
      }
    }
    return false;
  }
}

package dev.vprompt.ops.placement;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Which ops of a graph would have no GPU kernel for their types and so run on the CPU under soft
 * placement, checked against the registered kernels of the loaded native library.
 */
public final class GpuReadiness {

  /** One op type with one set of type attributes, how often it occurs and whether a GPU kernel takes it. */
  public record OpUse(String op, String types, int count, boolean gpu) {}

  private GpuReadiness() {}

  /** The ops that {@code roots} need (data and control inputs, transitively), stopping at {@code fed}. */
  public static Set<String> upstream(GraphDef graph, Collection<String> roots, Collection<String> fed) {
    Map<String, NodeDef> nodes = new HashMap<>();
    for (NodeDef node : graph.getNodeList()) {
      nodes.put(node.getName(), node);
    }
    Set<String> reached = new HashSet<>();
    Deque<String> pending = new ArrayDeque<>(roots);
    while (!pending.isEmpty()) {
      String name = pending.pop();
      if (!reached.add(name)) {
        continue;
      }
      NodeDef node = nodes.get(name);
      if (node == null) {
        throw new IllegalArgumentException("no op named '" + name + "' in the graph");
      }
      if (fed.contains(name)) {
        continue;
      }
      for (String input : node.getInputList()) {
        String source = input.startsWith("^") ? input.substring(1) : input;
        int colon = source.lastIndexOf(':');
        pending.push(colon < 0 ? source : source.substring(0, colon));
      }
    }
    return reached;
  }

  /** Each op type and type signature among the named nodes, sorted, with whether a GPU kernel exists. */
  public static Collection<OpUse> check(GraphDef graph, Set<String> names, KernelRegistry kernels) {
    Map<String, OpUse> uses = new TreeMap<>();
    for (NodeDef node : graph.getNodeList()) {
      if (!names.contains(node.getName())) {
        continue;
      }
      String types = types(node);
      String key = node.getOp() + " " + types;
      OpUse previous = uses.get(key);
      uses.put(key, previous == null ? new OpUse(node.getOp(), types, 1, kernels.hasKernel(node, "GPU"))
          : new OpUse(previous.op(), types, previous.count() + 1, previous.gpu()));
    }
    return uses.values();
  }

  private static String types(NodeDef node) {
    return node.getAttrMap().entrySet().stream()
        .filter(e -> e.getValue().getValueCase() == AttrValue.ValueCase.TYPE
            || (e.getValue().hasList() && e.getValue().getList().getTypeCount() > 0))
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + (e.getValue().getValueCase() == AttrValue.ValueCase.TYPE
            ? name(e.getValue().getType())
            : e.getValue().getList().getTypeList().stream().map(GpuReadiness::name).collect(Collectors.joining("|"))))
        .collect(Collectors.joining(","));
  }

  private static String name(org.tensorflow.proto.DataType type) {
    return type.name().replace("DT_", "").toLowerCase(java.util.Locale.ROOT);
  }
}

package dev.vprompt.ops.naming;

import org.tensorflow.DeviceSpec;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.Graph;
import org.tensorflow.Operation;
import org.tensorflow.OperationBuilder;
import org.tensorflow.op.Scope;

/**
 * A {@link Scope} that names ops as TensorFlow Java's {@code OpScope} does, but whose sub-scopes learn
 * the names in use under their prefix from an {@link OpNameIndex} rather than by walking every operation
 * of the graph (TensorFlow Java 1.1 does that walk in every {@code withSubScope}, which made building a
 * model quadratic in its size). Devices, control dependencies and init ops are the wrapped TensorFlow
 * scope's own: only naming is replaced.
 */
final class IndexedScope implements Scope {

  private final Graph graph;
  private final OpNameIndex index;
  private final Names names;
  /** Applies device, control dependencies and init flag to each op; its own naming is never used. */
  private final Scope placement;

  IndexedScope(Graph graph, OpNameIndex index, Names names, Scope placement) {
    this.graph = graph;
    this.index = index;
    this.names = names;
    this.placement = placement;
  }

  @Override
  public ExecutionEnvironment env() {
    return graph;
  }

  @Override
  public Scope withSubScope(String childScopeName) {
    Names.checkName(childScopeName);
    String prefix = names.qualifiedUnique(childScopeName);
    Names child = new Names.Indexed(index, graph, prefix, null, index.usedUnder(prefix));
    return new IndexedScope(graph, index, child, placement);
  }

  @Override
  public Scope withName(String opName) {
    return new IndexedScope(graph, index, names.withName(opName), placement);
  }

  /** As TensorFlow Java's: a sub-scope named like the next op would be (so only valid at the root). */
  @Override
  public Scope withNameAsSubScope(String defaultName) {
    return withSubScope(names.qualifiedUnique(defaultName));
  }

  @Override
  public Scope withDevice(DeviceSpec newDevice) {
    return new IndexedScope(graph, index, names, placement.withDevice(newDevice));
  }

  @Override
  public Scope withInitScope() {
    return new IndexedScope(graph, index, names, placement.withInitScope());
  }

  @Override
  public String makeOpName(String defaultName) {
    String name = names.qualifiedUnique(defaultName);
    index.record(name);
    return name;
  }

  @Override
  public String makeUnique(String id) {
    return names.makeUnique(id);
  }

  @Override
  public void refreshNames() {
    names.refresh();
  }

  @Override
  public Scope withControlDependencyOps(Iterable<Operation> controls) {
    return new IndexedScope(graph, index, names, placement.withControlDependencyOps(controls));
  }

  @Override
  public OperationBuilder apply(OperationBuilder builder) {
    return placement.apply(builder);
  }

  @Override
  public String getDeviceString() {
    return placement.getDeviceString();
  }

  @Override
  public boolean isInit() {
    return placement.isInit();
  }
}

package dev.vprompt.ops.naming;

import java.util.function.Supplier;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.Graph;
import org.tensorflow.Operation;
import org.tensorflow.OperationBuilder;
import org.tensorflow.op.Ops;
import org.tensorflow.op.Scope;

/**
 * Ops whose sub-scopes cost nothing to create. TensorFlow Java 1.1's {@code withSubScope} reads the name
 * of every operation in the graph to learn the names in use, so a model that opens a scope per layer took
 * time quadratic in its size to build (a ViT-B/16 training graph spent most of its build there). The ops
 * returned here give every op exactly the name TensorFlow Java's own scopes would (checkpoints, imported
 * weight maps and signatures depend on those names) from an index of the graph's names instead.
 */
public final class IndexedScopes {

  private static final ThreadLocal<Boolean> TENSORFLOW_NAMING = ThreadLocal.withInitial(() -> false);

  private IndexedScopes() {}

  /**
   * {@code tf} with indexed sub-scopes, naming its own ops as {@code tf} does (the two share their used
   * names). Reads the graph's op names once; returns {@code tf} itself if it is already indexed, not on a
   * graph, or inside {@link #withTensorFlowNaming}.
   */
  public static Ops adopt(Ops tf) {
    Scope scope = tf.scope();
    if (scope instanceof IndexedScope || !(scope.env() instanceof Graph graph) || TENSORFLOW_NAMING.get()) {
      return tf;
    }
    IndexedScope indexed = new IndexedScope(graph, OpNameIndex.resynced(graph), new Names.Delegated(scope), scope);
    return Ops.create(new Carrier(graph, indexed));
  }

  /**
   * Runs {@code build} with {@link #adopt} switched off on this thread, so that its graph is named by
   * TensorFlow Java's own scopes: the reference the indexed names are tested against.
   */
  public static <T> T withTensorFlowNaming(Supplier<T> build) {
    boolean before = TENSORFLOW_NAMING.get();
    TENSORFLOW_NAMING.set(true);
    try {
      return build.get();
    } finally {
      TENSORFLOW_NAMING.set(before);
    }
  }

  /**
   * {@link Ops#create} is the public way to wrap a scope in {@code Ops}: it takes its environment's base
   * scope. This environment is the graph with another base scope; the ops themselves see the graph.
   */
  private record Carrier(Graph graph, Scope baseScope) implements ExecutionEnvironment {
    @Override
    public OperationBuilder opBuilder(String type, String name, Scope scope) {
      return graph.opBuilder(type, name, scope);
    }

    @Override
    public void attachFunction(ConcreteFunction function) {
      graph.attachFunction(function);
    }

    @Override
    public boolean isOpEnabled(String opType) {
      return graph.isOpEnabled(opType);
    }

    @Override
    public void checkInput(Operation input) {
      graph.checkInput(input);
    }

    @Override
    public Types environmentType() {
      return graph.environmentType();
    }

    @Override
    public boolean isInitializer(Operation op) {
      return graph.isInitializer(op);
    }
  }
}

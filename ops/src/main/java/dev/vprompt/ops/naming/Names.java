package dev.vprompt.ops.naming;

import java.util.Map;
import org.tensorflow.op.Scope;

/**
 * The naming half of a scope, with TensorFlow Java's name-scope rules: an op or child scope takes the
 * asked-for name (or the scope's {@code withName} override), made unique with a numeric suffix among the
 * names this scope has used, prefixed by the scope's path.
 */
interface Names {

  /** The unique, fully qualified name for an op or a child scope, reserved; nothing recorded. */
  String qualifiedUnique(String name);

  /** {@code id} made unique among this scope's names, reserved, not qualified. */
  String makeUnique(String id);

  Names withName(String opName);

  /** Re-reads the names used under this scope from the graph itself. */
  void refresh();

  static void checkName(String name) {
    if (!Scope.isValidOpName(name)) {
      throw new IllegalArgumentException("invalid op or scope name: '" + name + "'");
    }
  }

  /** A root of vprompt's scopes: names exactly as the TensorFlow Java scope it wraps (sharing its counters). */
  record Delegated(Scope scope) implements Names {
    @Override
    public String qualifiedUnique(String name) {
      return scope.makeOpName(name);
    }

    @Override
    public String makeUnique(String id) {
      return scope.makeUnique(id);
    }

    @Override
    public Names withName(String opName) {
      return new Delegated(scope.withName(opName));
    }

    @Override
    public void refresh() {
      scope.refreshNames();
    }
  }

  /**
   * A sub-scope made by vprompt: its counters start from the names an {@link OpNameIndex} knows under its
   * prefix, instead of from a walk over the whole graph.
   */
  record Indexed(OpNameIndex index, org.tensorflow.Graph graph, String prefix, String opName,
      Map<String, Integer> used) implements Names {
    @Override
    public String qualifiedUnique(String name) {
      checkName(name);
      return prefix + "/" + makeUnique(opName != null ? opName : name);
    }

    @Override
    public String makeUnique(String id) {
      Integer count = used.get(id);
      if (count == null) {
        used.put(id, 1);
        return id;
      }
      used.put(id, count + 1);
      return id + "_" + count;
    }

    @Override
    public Names withName(String opName) {
      checkName(opName);
      return new Indexed(index, graph, prefix, opName, used);
    }

    @Override
    public void refresh() {
      index.resync(graph);
      index.importInto(prefix, used);
    }
  }
}

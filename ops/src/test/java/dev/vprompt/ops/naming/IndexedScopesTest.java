package dev.vprompt.ops.naming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/**
 * Indexed scopes name every op as TensorFlow Java's own scopes do, on the cases where its used-name
 * import decides the name: numbered names read in creation order, siblings whose names extend a new
 * scope's (TensorFlow Java compares prefixes as strings), ops imported under a prefix no scope knows.
 */
class IndexedScopesTest {

  /** The ops' names and types in creation order, the graph built with indexed and with TensorFlow scopes. */
  private static void assertSameNames(Consumer<Ops> build) {
    List<String> indexed = build(build);
    List<String> reference = IndexedScopes.withTensorFlowNaming(() -> build(build));
    assertEquals(reference, indexed);
  }

  private static List<String> build(Consumer<Ops> build) {
    try (Graph graph = new Graph()) {
      build.accept(IndexedScopes.adopt(Ops.create(graph)));
      List<String> names = new ArrayList<>();
      graph.operations().forEachRemaining(op -> names.add(op.name() + " " + op.type()));
      return names;
    }
  }

  private static Operand<TFloat32> named(Ops tf, String name) {
    return tf.withName(name).constant(1f);
  }

  @Test
  void siblingsExtendingANewScopesNameCountInCreationOrder() {
    assertSameNames(tf -> {
      Ops s = tf.withSubScope("s");
      named(s, "blockqq_2");  // read by scope "s/block" as "q_2": its next "q" is q_3
      named(s, "blockxr_1");  // "r_1" then "r": r counted 2 then 3
      named(s, "blockxr");
      named(s, "blockys");    // "s" then "s_1": s counted 1 then 2
      named(s, "blockys_1");
      named(s.withSubScope("blockz"), "deep");
      Ops block = s.withSubScope("block");
      for (String name : List.of("q", "r", "s", "deep", "q")) {
        named(block, name);
      }
      block.math.add(named(block, "x"), named(block.withSubScope("block"), "x"));
    });
  }

  @Test
  void repeatedScopesNamesAndOverridesAreNumberedAsTensorFlowDoes() {
    assertSameNames(tf -> {
      for (int i = 0; i < 3; i++) {
        Ops layer = tf.withSubScope("layer").withSubScope("inner");
        layer.math.mul(layer.constant(2f), layer.zeros(layer.constant(new int[] {2}), TFloat32.class));
        layer.withName("overridden").withSubScope("ignored").constant(0f);
        layer.withInitScope().withSubScope("init").constant(1f);
        named(layer, "Const_4");
        layer.constant(3f);
      }
      tf.withSubScope("layer_1").constant(1f);  // "layer_1" is taken: TensorFlow gives layer_1_1
      tf.constant(1f);
    });
  }

  @Test
  void opsUnderAPrefixNoScopeKnowsAreReadFromTheGraph() {
    GraphDef imported;
    try (Graph source = new Graph()) {
      Ops tf = Ops.create(source);
      tf.withName("x").constant(1f);
      tf.withName("y_4").constant(1f);
      imported = source.toGraphDef();
    }
    assertSameNames(tf -> {
      ((Graph) tf.scope().env()).importGraphDef(imported, "imp");
      Ops again = IndexedScopes.adopt(Ops.create((Graph) tf.scope().env()));
      Ops imp = again.withSubScope("imp");  // "imp": the root's counters never saw "imp/x"
      named(imp, "x");
      named(imp, "y");
      imp.constant(0f);
    });
  }

  @Test
  void controlDependenciesDevicesAndInitOpsAreTensorFlowsOwn() {
    assertSameNames(tf -> {
      Ops scope = tf.withSubScope("a");
      var first = scope.constant(1f);
      var variable = scope.withSubScope("v").variable(scope.withInitScope().constant(0f));
      scope.withControlDependencies(List.of(first)).withSubScope("after").identity(first);
      scope.withSubScope("cpu").withDevice(org.tensorflow.DeviceSpec.newBuilder().deviceType(
          org.tensorflow.DeviceSpec.DeviceType.CPU).build()).identity(variable);
    });
    try (Graph graph = new Graph()) {
      Ops tf = IndexedScopes.adopt(Ops.create(graph));
      Ops scope = tf.withSubScope("a");
      var first = scope.constant(1f);
      var after = scope.withControlDependencies(List.of(first)).withSubScope("after").identity(first);
      assertEquals(java.util.Set.of(first.op()), ((org.tensorflow.GraphOperation) after.op()).controlInputs());
      var variable = scope.variable(scope.withInitScope().constant(2f));
      assertTrue(graph.isInitializer(variable.op()));
      try (Session session = new Session(graph)) {
        session.initialize();
      }
    }
  }

  @Test
  void invalidNamesFailAsWithTensorFlowScopes() {
    try (Graph graph = new Graph()) {
      Ops tf = IndexedScopes.adopt(Ops.create(graph));
      assertThrows(IllegalArgumentException.class, () -> tf.withSubScope("a/b"));
      assertThrows(IllegalArgumentException.class, () -> tf.withSubScope("s").withName("_x"));
      // a sub-scope named like an op is only valid at the root, in TensorFlow Java as here
      assertThrows(IllegalArgumentException.class, () -> tf.withSubScope("s").scope().withNameAsSubScope("m"));
    }
    assertSameNames(tf -> tf.scope().withNameAsSubScope("m").env().opBuilder("NoOp",
        tf.scope().withNameAsSubScope("m").makeOpName("NoOp"), tf.scope()).build());
  }

  @Test
  void adoptingTwiceOrUnderTensorFlowNamingKeepsTheOps() {
    try (Graph graph = new Graph()) {
      Ops plain = Ops.create(graph);
      Ops indexed = IndexedScopes.adopt(plain);
      assertNotSame(plain, indexed);
      assertSame(indexed, IndexedScopes.adopt(indexed));
      assertSame(plain, IndexedScopes.withTensorFlowNaming(() -> IndexedScopes.adopt(plain)));
      assertSame(graph, indexed.scope().env());
    }
  }
}

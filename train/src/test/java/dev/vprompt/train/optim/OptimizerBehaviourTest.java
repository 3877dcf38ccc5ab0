package dev.vprompt.train.optim;

import dev.vprompt.ops.Decay;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.ops.Init;
import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class OptimizerBehaviourTest {

  @ParameterizedTest
  @EnumSource(OptimizerKind.class)
  void aZeroLearningRateLeavesWeightsBitIdentical(OptimizerKind kind) {
    try (ToyProblem problem = new ToyProblem(OptimizerConfig.of(kind, 0.5))) {
      for (int i = 0; i < 3; i++) {
        problem.step(0f);
      }
      assertArrayEquals(ToyProblem.KERNEL, problem.values("head.kernel"));
      assertArrayEquals(ToyProblem.BIAS, problem.values("head.bias"));
      assertEquals(3, problem.stepCounter());
    }
  }

  @ParameterizedTest
  @EnumSource(OptimizerKind.class)
  void selectiveDecayLeavesANonDecayedBiasAlone(OptimizerKind kind) {
    OptimizerConfig withoutDecay = OptimizerConfig.of(kind, 0.0).withDecayPolicy(DecayPolicy.SELECTIVE);
    try (ToyProblem plain = new ToyProblem(withoutDecay);
        ToyProblem decayed = new ToyProblem(withoutDecay.withWeightDecay(0.5))) {
      for (int i = 0; i < 3; i++) {
        plain.step(0.1f);
        decayed.step(0.1f);
      }
      assertArrayEquals(plain.values("head.bias"), decayed.values("head.bias"));
      assertFalse(Arrays.equals(plain.values("head.kernel"), decayed.values("head.kernel")));
      assertFalse(Arrays.equals(ToyProblem.BIAS, plain.values("head.bias")), "the bias trains");
    }
  }

  @Test
  void allDecayReachesTheBiasToo() {
    OptimizerConfig withoutDecay = OptimizerConfig.of(OptimizerKind.ADAM, 0.0);
    try (ToyProblem plain = new ToyProblem(withoutDecay);
        ToyProblem decayed = new ToyProblem(withoutDecay.withWeightDecay(0.5))) {
      plain.step(0.1f);
      plain.step(0.1f);
      decayed.step(0.1f);
      decayed.step(0.1f);
      assertFalse(Arrays.equals(plain.values("head.bias"), decayed.values("head.bias")));
    }
  }

  @Test
  void theStepCounterCountsSteps() {
    try (ToyProblem problem = new ToyProblem(OptimizerConfig.of(OptimizerKind.SGD, 0.0))) {
      assertEquals(0, problem.stepCounter());
      problem.step(0.1f);
      assertEquals(1, problem.stepCounter());
      problem.step(0.1f);
      problem.step(0.1f);
      assertEquals(3, problem.stepCounter());
    }
  }

  @Test
  void stateHoldsTheCounterAndOneFlatNamedSlotPerMoment() {
    try (ToyProblem adam = new ToyProblem(OptimizerConfig.of(OptimizerKind.ADAMW, 0.1));
        ToyProblem sgd = new ToyProblem(OptimizerConfig.of(OptimizerKind.SGD, 0.1))) {
      assertEquals(
          List.of(
              "optimizer.step",
              "optimizer.adam.m.head.kernel",
              "optimizer.adam.v.head.kernel",
              "optimizer.adam.m.head.bias",
              "optimizer.adam.v.head.bias"),
          List.copyOf(adam.train.state().keySet()));
      assertEquals(
          List.of(
              "optimizer.step", "optimizer.sgd.momentum.head.kernel", "optimizer.sgd.momentum.head.bias"),
          List.copyOf(sgd.train.state().keySet()));
      adam.train.state().forEach((name, variable) -> assertEquals(name, variable.op().name()));
      assertEquals(Shape.of(3), adam.train.state().get("optimizer.adam.v.head.kernel").shape());
      assertEquals(2, adam.train.gradients().size());
    }
  }

  @Test
  void aFrozenParameterOutsideTheListStaysBitIdentical() {
    float[] frozenInitial = {0.25f, -0.5f, 1.5f};
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore store = new ParameterStore(tf, 3, name -> name.startsWith("backbone."));
      Parameter frozen = store.weight("backbone.w", Shape.of(3), ToyProblem.values(frozenInitial), Decay.DECAYED);
      Parameter head = store.weight("head.w", Shape.of(3), ToyProblem.values(new float[] {1f, 2f, 3f}), Decay.DECAYED);
      assertEquals(Parameter.Role.FROZEN, frozen.role());
      // The loss depends on both, so the frozen weight has a gradient that must not be applied.
      Operand<TFloat32> product = tf.math.mul(frozen.variable(), head.variable());
      Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(product, product), tf.constant(0));
      TrainOp train =
          Optimizer.minimize(
              tf, graph, loss, store.trainable(), OptimizerConfig.of(OptimizerKind.ADAM, 0.1),
              tf.constant(0.1f), List.of());
      assertFalse(train.state().keySet().stream().anyMatch(name -> name.contains("backbone")));
      try (Session session = new Session(graph)) {
        session.initialize();
        for (int i = 0; i < 3; i++) {
          session.run(train.step());
        }
        assertArrayEquals(frozenInitial, read(session, frozen.variable()));
        assertFalse(Arrays.equals(new float[] {1f, 2f, 3f}, read(session, head.variable())));
      }
      assertThrows(
          IllegalArgumentException.class,
          () -> Optimizer.minimize(
              tf, graph, loss, store.all(), OptimizerConfig.of(OptimizerKind.SGD, 0), tf.constant(0.1f),
              List.of()));
    }
  }

  @Test
  void fiveStepsTwiceFromTheSameStartAreBitIdentical() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore store = new ParameterStore(tf, 11);
      TrainOp train = denseNetwork(tf, graph, store);
      float[][] first = trainFiveSteps(graph, store, train);
      float[][] second = trainFiveSteps(graph, store, train);
      for (int i = 0; i < first.length; i++) {
        assertArrayEquals(first[i], second[i], store.all().get(i).name());
      }
    }
  }

  @Test
  void everyWriteWaitsForEveryGradient() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore store = new ParameterStore(tf, 11);
      TrainOp train = denseNetwork(tf, graph, store);
      Set<GraphOperation> gradientOps = new HashSet<>();
      for (Output<?> gradient : train.gradients()) {
        gradientOps.add((GraphOperation) gradient.op());
      }
      Set<String> writers = Set.of("ApplyAdam", "ApplyMomentum", "Assign", "AssignAdd");
      int checked = 0;
      for (var it = graph.operations(); it.hasNext(); ) {
        GraphOperation op = it.next();
        if (op.name().startsWith("optimizer/") && writers.contains(op.type())
            && !op.type().equals("AssignAdd")) {
          assertTrue(op.controlInputs().containsAll(gradientOps), op.name() + " may run early");
          checked++;
        }
      }
      // AdamW: one decay assign and one ApplyAdam per parameter.
      assertEquals(2 * store.trainable().size(), checked);
    }
  }

  @Test
  void rejectsWhatTensorFlowWouldFailOnObscurely() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore store = new ParameterStore(tf, 1);
      Parameter used = store.weight("a", Shape.of(2), Init.constant(1f), Decay.DECAYED);
      Parameter unused = store.weight("b", Shape.of(2), Init.constant(1f), Decay.DECAYED);
      Parameter stopped = store.weight("c", Shape.of(2), Init.constant(1f), Decay.DECAYED);
      Operand<TFloat32> loss =
          tf.reduceSum(
              tf.math.add(tf.math.mul(used.variable(), used.variable()), tf.stopGradient(stopped.variable())),
              tf.constant(0));
      OptimizerConfig adam = OptimizerConfig.of(OptimizerKind.ADAM, 0);
      Operand<TFloat32> lr = tf.constant(0.1f);

      var unreachable = assertThrows(IllegalArgumentException.class,
          () -> Optimizer.minimize(tf, graph, loss, List.of(used, unused), adam, lr, List.of()));
      assertTrue(unreachable.getMessage().contains("[b]"), unreachable.getMessage());
      var noGradient = assertThrows(IllegalArgumentException.class,
          () -> Optimizer.minimize(tf, graph, loss, List.of(used, stopped), adam, lr, List.of()));
      assertTrue(noGradient.getMessage().contains("[c]"), noGradient.getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> Optimizer.minimize(tf, graph, loss, List.of(), adam, lr, List.of()));
      assertThrows(IllegalArgumentException.class,
          () -> Optimizer.minimize(tf, graph, loss, List.of(used, used), adam, lr, List.of()));
      assertThrows(IllegalArgumentException.class,
          () -> Optimizer.minimize(tf, graph, loss, List.of(used), adam, tf.constant(new float[] {0.1f}), List.of()));
      assertThrows(IllegalArgumentException.class,
          () -> Optimizer.minimize(tf, graph, used.variable(), List.of(used), adam, lr, List.of()));

      Optimizer.minimize(tf, graph, loss, List.of(used), adam, lr, List.of());
      var twice = assertThrows(IllegalStateException.class,
          () -> Optimizer.minimize(tf, graph, loss, List.of(used), adam, lr, List.of()));
      assertTrue(twice.getMessage().contains("optimizer.step"), twice.getMessage());
    }
  }

  /** A two-layer network on fixed data, trained with AdamW; its backward pass reads the weights. */
  private static TrainOp denseNetwork(Ops tf, Graph graph, ParameterStore store) {
    Operand<TFloat32> x =
        tf.random.statelessRandomNormal(tf.constant(Shape.of(16, 24)), tf.constant(new long[] {1, 2}));
    Operand<TFloat32> y =
        tf.random.statelessRandomNormal(tf.constant(Shape.of(16, 4)), tf.constant(new long[] {3, 4}));
    Parameter w1 = store.weight("l1.kernel", Shape.of(24, 48), Init.normal(0.2f), Decay.DECAYED);
    Parameter b1 = store.weight("l1.bias", Shape.of(48), Init.constant(0.1f), Decay.NOT_DECAYED);
    Parameter w2 = store.weight("l2.kernel", Shape.of(48, 4), Init.normal(0.2f), Decay.DECAYED);
    Operand<TFloat32> hidden = tf.nn.relu(tf.math.add(tf.linalg.matMul(x, w1.variable()), b1.variable()));
    Operand<TFloat32> error = tf.math.sub(tf.linalg.matMul(hidden, w2.variable()), y);
    Operand<TFloat32> loss = tf.math.mean(tf.math.mul(error, error), tf.constant(new int[] {0, 1}));
    return Optimizer.minimize(
        tf, graph, loss, store.trainable(), OptimizerConfig.of(OptimizerKind.ADAMW, 0.01),
        tf.placeholderWithDefault(tf.constant(0.05f), Shape.scalar()), List.of());
  }

  private static float[][] trainFiveSteps(Graph graph, ParameterStore store, TrainOp train) {
    try (Session session = new Session(graph)) {
      session.initialize();
      for (int i = 0; i < 5; i++) {
        session.run(train.step());
      }
      List<float[]> values = new ArrayList<>();
      for (Parameter parameter : store.all()) {
        values.add(read(session, parameter.variable()));
      }
      return values.toArray(float[][]::new);
    }
  }

  private static float[] read(Session session, Operand<TFloat32> variable) {
    try (Result result = session.runner().fetch(variable).run()) {
      return Tensors.toFloats(result.get(0));
    }
  }
}

package dev.vprompt.train.optim;

import dev.vprompt.ops.Parameter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Builds one training step for an explicit list of trainable parameters: gradients through {@link
 * Graph#addGradients}, then TensorFlow's raw update kernels. Freezing is by construction: a weight that
 * is not in the list is never touched. (The framework optimizers take every variable of the graph and
 * bake the learning rate in.)
 */
public final class Optimizer {
  private Optimizer() {}

  /**
   * @param tf ops at the graph's root scope: the optimizer's variables get exactly their dotted names,
   *     its other ops go under {@code optimizer/}
   * @param loss a float32 scalar
   * @param trainable the parameters to update, each {@link Parameter.Role#TRAINABLE}, none twice
   * @param learningRate a float32 scalar, typically a {@code placeholderWithDefault} fed each step
   * @param extraUpdates ops the step also runs (batch-norm moving averages); may be empty
   */
  public static TrainOp minimize(
      Ops tf,
      Graph graph,
      Operand<TFloat32> loss,
      List<Parameter> trainable,
      OptimizerConfig config,
      Operand<TFloat32> learningRate,
      List<Op> extraUpdates) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(extraUpdates, "extraUpdates");
    requireFloatScalar(loss, "the loss");
    requireFloatScalar(learningRate, "the learning rate");
    requireTrainable(trainable);

    List<Output<?>> gradients = Gradients.of(graph, loss, trainable);
    SlotVariables slots = new SlotVariables(tf, graph);
    Variable<TInt64> stepCounter = slots.counter("optimizer.step");

    Ops scope = tf.withSubScope("optimizer");
    UpdateRule rule =
        switch (config.kind()) {
          case ADAM, ADAMW -> new AdamUpdate(scope, slots, config, learningRate, stepCounter);
          case SGD -> new SgdUpdate(scope, slots, config, learningRate);
        };
    AfterGradients afterGradients = new AfterGradients(scope, gradients);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < trainable.size(); i++) {
      Operand<TFloat32> gradient = gradients.get(i).expect(TFloat32.class);
      updates.add(rule.apply(afterGradients, trainable.get(i), gradient));
    }
    // The counter moves only after every update has read it (Adam's bias correction).
    Op increment =
        scope.withControlDependencies(updates).assignAdd(stepCounter, scope.constant(1L));

    List<Op> all = new ArrayList<>(updates);
    all.add(increment);
    all.addAll(extraUpdates);
    Op step = scope.withControlDependencies(all).withName("train_step").noOp();
    return new TrainOp(step, stepCounter, slots.created(), gradients);
  }

  private static void requireFloatScalar(Operand<?> operand, String what) {
    Objects.requireNonNull(operand, what);
    if (operand.type() != TFloat32.class) {
      throw new IllegalArgumentException(what + " must be float32, got " + operand.type().getSimpleName());
    }
    if (operand.shape().isUnknown() || !operand.shape().isScalar()) {
      throw new IllegalArgumentException(what + " must be a scalar, got shape " + operand.shape());
    }
  }

  private static void requireTrainable(List<Parameter> trainable) {
    Objects.requireNonNull(trainable, "trainable");
    if (trainable.isEmpty()) {
      throw new IllegalArgumentException("nothing to train: the list of trainable parameters is empty");
    }
    Set<String> seen = new HashSet<>();
    for (Parameter parameter : trainable) {
      if (!parameter.trainable()) {
        throw new IllegalArgumentException(
            "parameter '" + parameter.name() + "' is " + parameter.role()
                + ": pass only trainable parameters to the optimizer");
      }
      if (!seen.add(parameter.name())) {
        throw new IllegalArgumentException("parameter '" + parameter.name() + "' is listed twice");
      }
    }
  }
}

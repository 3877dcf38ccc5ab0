package dev.vprompt.train.optim;

import dev.vprompt.ops.Parameter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.types.TFloat32;

/** The loss's gradients for an explicit list of parameters, with clear errors where one has none. */
final class Gradients {
  private Gradients() {}

  static List<Output<?>> of(Graph graph, String prefix, Operand<TFloat32> loss, List<Parameter> parameters) {
    requireReachable(loss, parameters);
    Output<?>[] variables = new Output<?>[parameters.size()];
    for (int i = 0; i < variables.length; i++) {
      variables[i] = parameters.get(i).variable().asOutput();
    }
    Output<?>[] gradients = prefix == null ? graph.addGradients(loss.asOutput(), variables)
        : graph.addGradients(prefix, new Output<?>[] {loss.asOutput()}, variables, null);
    // A path that exists but carries no gradient (stopGradient) yields an output without an op.
    List<String> without = new ArrayList<>();
    for (int i = 0; i < gradients.length; i++) {
      if (gradients[i] == null || gradients[i].isClosed()) {
        without.add(parameters.get(i).name());
      }
    }
    if (!without.isEmpty()) {
      throw new IllegalArgumentException(
          "no gradient flows from the loss to trainable parameters " + without
              + " (behind a stopGradient?); pass only parameters the loss depends on");
    }
    return List.of(gradients);
  }

  /**
   * TensorFlow names only the first unreachable variable, and in a message about nodes; walking the
   * loss's inputs names them all, as parameters.
   */
  private static void requireReachable(Operand<TFloat32> loss, List<Parameter> parameters) {
    Set<String> reached = new HashSet<>();
    Deque<GraphOperation> pending = new ArrayDeque<>();
    GraphOperation start = (GraphOperation) loss.op();
    pending.add(start);
    reached.add(start.name());
    while (!pending.isEmpty()) {
      GraphOperation op = pending.pop();
      for (int i = 0; i < op.numInputs(); i++) {
        GraphOperation input = (GraphOperation) op.input(i).op();
        if (reached.add(input.name())) {
          pending.add(input);
        }
      }
    }
    List<String> unreachable =
        parameters.stream()
            .filter(p -> !reached.contains(p.variable().op().name()))
            .map(Parameter::name)
            .toList();
    if (!unreachable.isEmpty()) {
      throw new IllegalArgumentException(
          "the loss does not depend on trainable parameters " + unreachable
              + "; pass only parameters the loss depends on");
    }
  }
}

package dev.vprompt.ops.weights;

import java.util.List;

/**
 * Weights that do not fit a model: every problem by name (missing, unused, mis-shaped, unfilled). The
 * message is one line; {@link #problems} lists them all.
 */
public final class WeightMappingException extends Exception {

  private final List<String> problems;

  public WeightMappingException(String source, List<String> problems) {
    super(source + " does not fit the model: " + problems.size() + (problems.size() == 1 ? " problem" : " problems")
        + " (first: " + problems.get(0) + ")");
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}

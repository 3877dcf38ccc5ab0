package dev.vprompt.train.imports;

import java.util.List;

/** Weights that do not fit the architecture: a one-line message, and every problem by name. */
public final class ImportProblemsException extends IllegalArgumentException {

  private final List<String> problems;

  public ImportProblemsException(String message, List<String> problems) {
    super(message);
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}

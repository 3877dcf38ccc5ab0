package dev.vprompt.graph;

/**
 * A value an option does not take, naming the option ({@code batch-size}, without dashes) so that a caller
 * that set it (a sweep file's line) can be blamed without reading the message.
 */
public class InvalidOptionException extends IllegalArgumentException {

  private final String option;

  public InvalidOptionException(String option, String message) {
    super(message);
    this.option = option;
  }

  /** The option's long name without dashes. */
  public String option() {
    return option;
  }
}

package dev.vprompt.train.trainer;

/** Training stopped at a step boundary because the process was asked to exit ({@link TrainingStop}). */
public final class TrainingStoppedException extends RuntimeException {
  public TrainingStoppedException(String message) {
    super(message);
  }
}

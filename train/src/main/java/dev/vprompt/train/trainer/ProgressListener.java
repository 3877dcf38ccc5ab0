package dev.vprompt.train.trainer;

import dev.vprompt.core.run.EpochMetrics;

/** Hears about training as it goes: a progress bar on a terminal, plain lines otherwise. */
public interface ProgressListener {

  ProgressListener SILENT = new ProgressListener() {};

  default void epochStarted(int epoch, int epochs, int steps) {}

  /** After each step, with the running means of the epoch so far. */
  default void stepDone(int step, double meanLoss, double accuracy, double imagesPerSecond) {}

  default void epochDone(EpochMetrics metrics, boolean best) {}

  default void message(String text) {}

  /** Both listeners, {@code first} hearing each event first. */
  static ProgressListener both(ProgressListener first, ProgressListener second) {
    return new ProgressListener() {
      @Override
      public void epochStarted(int epoch, int epochs, int steps) {
        first.epochStarted(epoch, epochs, steps);
        second.epochStarted(epoch, epochs, steps);
      }

      @Override
      public void stepDone(int step, double meanLoss, double accuracy, double imagesPerSecond) {
        first.stepDone(step, meanLoss, accuracy, imagesPerSecond);
        second.stepDone(step, meanLoss, accuracy, imagesPerSecond);
      }

      @Override
      public void epochDone(EpochMetrics metrics, boolean best) {
        first.epochDone(metrics, best);
        second.epochDone(metrics, best);
      }

      @Override
      public void message(String text) {
        first.message(text);
        second.message(text);
      }
    };
  }
}

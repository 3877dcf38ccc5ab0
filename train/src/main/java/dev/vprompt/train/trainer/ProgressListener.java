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
}

package dev.vprompt.core.run;

import dev.vprompt.graph.InvalidOptionException;
/**
 * How a run trains, as saved in config.json. Defaults are the MSVP paper's protocol (§IV-D and reference
 * code): Adam with coupled L2 1e-4, lr 1e-3, cosine per epoch, batch 128, seed 42, 90/10 split.
 */
public record TrainingSettings(
    int epochs,
    int batchSize,
    double learningRate,
    double weightDecay,
    String optimizer,
    String decay,
    String schedule,
    int warmupSteps,
    long seed,
    double valSplit,
    String augment,
    int threads,
    int evalBatchSize) {

  public TrainingSettings {
    if (epochs < 1) {
      throw new InvalidOptionException("epochs", "--epochs must be at least 1, got " + epochs);
    }
    if (batchSize < 1) {
      throw new InvalidOptionException("batch-size", "--batch-size must be at least 1, got " + batchSize);
    }
    if (!(learningRate >= 0) || !Double.isFinite(learningRate)) {
      throw new InvalidOptionException("lr", "--lr must be a finite number >= 0, got " + learningRate);
    }
    if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
      throw new InvalidOptionException("weight-decay", "--weight-decay must be a finite number >= 0, got " + weightDecay);
    }
    if (!(valSplit >= 0 && valSplit < 1)) {
      throw new InvalidOptionException("val-split", "--val-split must be in [0, 1), got " + valSplit);
    }
    if (warmupSteps < 0) {
      throw new InvalidOptionException("warmup-steps", "--warmup-steps must be >= 0, got " + warmupSteps);
    }
    if (threads < 0) {
      throw new InvalidOptionException("threads", "--threads must be >= 0 (0: all cores), got " + threads);
    }
    if (evalBatchSize < 1) {
      throw new IllegalArgumentException("eval batch size must be at least 1, got " + evalBatchSize);
    }
  }
}

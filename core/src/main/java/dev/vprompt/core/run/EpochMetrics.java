package dev.vprompt.core.run;

/** One line of metrics.jsonl. Accuracies are fractions in [0, 1]; epochs count from 1. */
public record EpochMetrics(
  int epoch,
  double lr,
  double trainLoss,
  double trainAcc,
  double valLoss,
  double valAcc,
  double seconds,
  double imagesPerSec) {}

package dev.vprompt.core.run;

/**
 * One line of metrics.jsonl. Accuracies are fractions in [0, 1]; epochs count from 1.
 *
 * @param promptEffect per prompted layer, RMS(prompt) / RMS(activation) on the validation images after
 *     the epoch (see {@code PromptEffect}); empty without a prompt or a validation split
 */
public record EpochMetrics(
  int epoch,
  double lr,
  double trainLoss,
  double trainAcc,
  double valLoss,
  double valAcc,
  double seconds,
  double imagesPerSec,
  java.util.Map<String, Double> promptEffect) {

  public EpochMetrics(int epoch, double lr, double trainLoss, double trainAcc, double valLoss, double valAcc,
      double seconds, double imagesPerSec) {
    this(epoch, lr, trainLoss, trainAcc, valLoss, valAcc, seconds, imagesPerSec, null);
  }

  public EpochMetrics {
    promptEffect = promptEffect == null ? java.util.Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(promptEffect));
  }
}

package dev.vprompt.core.eval;

/**
 * Accuracy, mean loss and the confusion matrix of one evaluation.
 *
 * @param confusion {@code confusion[true][predicted]} counts
 * @param promptEffect per prompted layer ({@code input}, {@code block<l>}), {@code RMS(prompt) /
 *     RMS(activation)} over the evaluated images; empty without a prompt
 */
public record EvalResult(long count, double loss, double accuracy, long[][] confusion,
    java.util.Map<String, Double> promptEffect) {

  public EvalResult(long count, double loss, double accuracy, long[][] confusion) {
    this(count, loss, accuracy, confusion, java.util.Map.of());
  }

  public EvalResult {
    promptEffect = promptEffect == null ? java.util.Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(promptEffect));
  }

  /** Recall per class: the fraction of each true class predicted correctly (NaN for an absent class). */
  public double[] perClassAccuracy() {
    double[] accuracy = new double[confusion.length];
    for (int c = 0; c < confusion.length; c++) {
      long total = 0;
      for (long v : confusion[c]) {
        total += v;
      }
      accuracy[c] = total == 0 ? Double.NaN : (double) confusion[c][c] / total;
    }
    return accuracy;
  }
}

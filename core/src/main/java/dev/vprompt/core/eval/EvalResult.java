package dev.vprompt.core.eval;

/**
 * Accuracy, mean loss and the confusion matrix of one evaluation.
 *
 * @param confusion {@code confusion[true][predicted]} counts
 */
public record EvalResult(long count, double loss, double accuracy, long[][] confusion) {

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

package dev.vprompt.train.trainer;

import java.util.SplittableRandom;

/** Seeded index arithmetic: the train/validation split and each epoch's shuffle. */
public final class RowOrder {

  /** Rows of the official train set used for training and for validation. */
  public record TrainValidation(int[] train, int[] validation) {}

  private RowOrder() {}

  /** A seeded permutation; the first {@code round(n * fraction)} rows validate, the rest train. */
  public static TrainValidation trainValidation(int n, double fraction, long seed) {
    int[] order = permutation(n, new SplittableRandom(seed));
    int validation = (int) Math.round(n * fraction);
    if (n - validation < 1) {
      throw new IllegalArgumentException("a validation split of " + fraction + " leaves no training images out of " + n);
    }
    int[] val = java.util.Arrays.copyOfRange(order, 0, validation);
    int[] train = java.util.Arrays.copyOfRange(order, validation, n);
    java.util.Arrays.sort(val);
    java.util.Arrays.sort(train);
    return new TrainValidation(train, val);
  }

  /** The order of one epoch: depends only on (seed, epoch), so a resumed run replays it exactly. */
  public static int[] epochOrder(int[] rows, long seed, int epoch) {
    int[] order = permutation(rows.length, new SplittableRandom(seed * 1_000_003L + epoch));
    int[] shuffled = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      shuffled[i] = rows[order[i]];
    }
    return shuffled;
  }

  private static int[] permutation(int n, SplittableRandom random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }
}

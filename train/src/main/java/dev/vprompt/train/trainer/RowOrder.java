package dev.vprompt.train.trainer;

import java.util.SplittableRandom;

/**
 * Seeded index arithmetic: the train/validation split, each epoch's shuffle, and for sharded worker data
 * the fixed shards and the shard-compatible epoch order (see docs/distributed.md).
 */
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

  /** A shard's epoch stream: shard 0's is {@link #epochOrder}'s, so one shard is the replicated order. */
  private static long shardEpochSeed(long seed, int epoch, int shard) {
    return seed * 1_000_003L + epoch + shard * 0x9E3779B97F4A7C15L;
  }

  /** Tower k's share of a batch of {@code length} rows over n towers: contiguous, sizes differing by at most one. */
  public static int share(int length, int towers, int k) {
    return length / towers + (k < length % towers ? 1 : 0);
  }

  /**
   * How many rows tower k trains on in an epoch of {@code rows} rows in batches of {@code batchSize}: the
   * sum of its shares over the steps. This is the size of shard k, so a sharded epoch ends with every
   * shard used up at the same step. Sizes differ by at most one when the batch divides evenly over the
   * towers; otherwise the first {@code batchSize % towers} towers take one more row each full step.
   */
  public static int[] shardSizes(int rows, int batchSize, int towers) {
    if (towers < 1 || batchSize < 1) {
      throw new IllegalArgumentException("shards need at least one tower and a batch of at least one row");
    }
    int full = rows / batchSize;
    int last = rows % batchSize;
    int[] sizes = new int[towers];
    for (int k = 0; k < towers; k++) {
      sizes[k] = full * share(batchSize, towers, k) + share(last, towers, k);
    }
    return sizes;
  }

  /**
   * The fixed shards of the training rows, one per tower, of {@link #shardSizes} rows, stratified by
   * class: the rows ordered by class (in a seeded order within each class) are dealt to the shard whose
   * count lags its proportional target most, so every shard holds each class in about the proportion the
   * split does. Each shard's rows are ascending (one shard is the split itself).
   *
   * @param labels the class of every row of the training split, indexed by row
   */
  public static int[][] shards(int[] train, int[] labels, int batchSize, int towers, long seed) {
    int[] sizes = shardSizes(train.length, batchSize, towers);
    // the stream of epoch 0, which no epoch uses
    int[] permuted = permutation(train.length, new SplittableRandom(seed * 1_000_003L));
    Integer[] dealing = new Integer[train.length];
    int[] rank = new int[train.length];
    for (int i = 0; i < train.length; i++) {
      dealing[i] = i;
      rank[permuted[i]] = i;
    }
    java.util.Arrays.sort(dealing, java.util.Comparator.<Integer>comparingInt(i -> labels[train[i]])
        .thenComparingInt(i -> rank[i]));
    int[][] shards = new int[towers][];
    int[] filled = new int[towers];
    for (int k = 0; k < towers; k++) {
      shards[k] = new int[sizes[k]];
    }
    long total = train.length;
    for (int i = 0; i < train.length; i++) {
      // lag of shard k after i + 1 rows: its target sizes[k] * (i + 1) / total less what it holds (scaled by total)
      int pick = -1;
      long worst = Long.MIN_VALUE;
      for (int k = 0; k < towers; k++) {
        long lag = (long) sizes[k] * (i + 1) - (long) filled[k] * total;
        if (filled[k] < sizes[k] && lag > worst) {
          worst = lag;
          pick = k;
        }
      }
      shards[pick][filled[pick]++] = train[dealing[i]];
    }
    for (int[] shard : shards) {
      java.util.Arrays.sort(shard);
    }
    return shards;
  }

  /**
   * A sharded epoch's order: each shard shuffled with the epoch's seed, and global batch s the
   * concatenation over k of shard k's next {@link #share} rows, so tower k's contiguous share of every
   * batch comes from shard k and every row is seen once. With one shard this is {@link #epochOrder}.
   *
   * @throws IllegalArgumentException if the shards' sizes are not {@link #shardSizes} of this batch size
   */
  public static int[] shardedEpochOrder(int[][] shards, int batchSize, long seed, int epoch) {
    int towers = shards.length;
    int total = 0;
    int[] sizes = new int[towers];
    for (int k = 0; k < towers; k++) {
      sizes[k] = shards[k].length;
      total += sizes[k];
    }
    if (!java.util.Arrays.equals(sizes, shardSizes(total, batchSize, towers))) {
      throw new IllegalArgumentException("shards of " + java.util.Arrays.toString(sizes) + " rows do not fit batches of "
          + batchSize + " over " + towers + " towers (expected " + java.util.Arrays.toString(shardSizes(total, batchSize,
          towers)) + ")");
    }
    int[][] shuffled = new int[towers][];
    for (int k = 0; k < towers; k++) {
      int[] order = permutation(sizes[k], new SplittableRandom(shardEpochSeed(seed, epoch, k)));
      shuffled[k] = new int[sizes[k]];
      for (int i = 0; i < sizes[k]; i++) {
        shuffled[k][i] = shards[k][order[i]];
      }
    }
    int[] out = new int[total];
    int[] used = new int[towers];
    int at = 0;
    for (int start = 0; start < total; start += batchSize) {
      int length = Math.min(batchSize, total - start);
      for (int k = 0; k < towers; k++) {
        int take = share(length, towers, k);
        System.arraycopy(shuffled[k], used[k], out, at, take);
        used[k] += take;
        at += take;
      }
    }
    return out;
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

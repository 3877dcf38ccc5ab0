package dev.vprompt.train.trainer;

import java.util.Arrays;

/**
 * Sharded worker data: which rows of the training split each tower holds resident (its shard) and the
 * validation rows held next to the variables, with the translation of the split's row numbers into the
 * positions of those resident copies. The trainer keeps working in the split's row numbers; only the
 * feeding translates.
 */
public final class TrainingShards {

  private final int[][] shards;
  private final int[] validation;
  /** Per row of the split: its shard, or -1; and its position in that shard (or in the validation copy). */
  private final int[] shardOf;
  private final int[] positionOf;
  private final int[] validationPositionOf;

  /**
   * @param shards per tower, the rows of the split it holds (ascending, disjoint)
   * @param validation the validation rows (ascending, disjoint from the shards)
   * @param splitRows how many rows the whole training split has
   */
  public TrainingShards(int[][] shards, int[] validation, int splitRows) {
    this.shards = new int[shards.length][];
    this.validation = validation.clone();
    shardOf = new int[splitRows];
    positionOf = new int[splitRows];
    validationPositionOf = new int[splitRows];
    Arrays.fill(shardOf, -1);
    Arrays.fill(validationPositionOf, -1);
    for (int k = 0; k < shards.length; k++) {
      this.shards[k] = shards[k].clone();
      for (int i = 0; i < shards[k].length; i++) {
        int row = shards[k][i];
        if (row < 0 || row >= splitRows || shardOf[row] >= 0) {
          throw new IllegalArgumentException("row " + row + " of shard " + k + " is outside the split of " + splitRows
              + " rows or in two shards");
        }
        shardOf[row] = k;
        positionOf[row] = i;
      }
    }
    for (int i = 0; i < validation.length; i++) {
      int row = validation[i];
      if (row < 0 || row >= splitRows || shardOf[row] >= 0 || validationPositionOf[row] >= 0) {
        throw new IllegalArgumentException("validation row " + row + " is outside the split of " + splitRows
            + " rows, in a shard or listed twice");
      }
      validationPositionOf[row] = i;
    }
  }

  public int count() {
    return shards.length;
  }

  /** The split's rows tower k holds, ascending. */
  public int[] rows(int k) {
    return shards[k].clone();
  }

  public int[] sizes() {
    return Arrays.stream(shards).mapToInt(s -> s.length).toArray();
  }

  public int[] validation() {
    return validation.clone();
  }

  /** Epoch {@code epoch}'s order of the split's rows ({@link RowOrder#shardedEpochOrder} of these shards). */
  public int[] epochOrder(int batchSize, long seed, int epoch) {
    return RowOrder.shardedEpochOrder(shards, batchSize, seed, epoch);
  }

  /**
   * The positions in shard k of {@code rows[from, to)}: what tower k is fed.
   *
   * @throws IllegalArgumentException if a row is not in shard k (an order that is not shard-compatible)
   */
  int[] positionsInShard(int k, int[] rows, int from, int to) {
    int[] positions = new int[to - from];
    for (int i = from; i < to; i++) {
      int row = rows[i];
      if (row < 0 || row >= shardOf.length || shardOf[row] != k) {
        throw new IllegalArgumentException("row " + row + " at position " + i + " of the batch falls in tower " + k
            + "'s share but is " + (row < 0 || row >= shardOf.length || shardOf[row] < 0 ? "in no shard"
            : "in shard " + shardOf[row]) + ": the batch is not in the sharded order");
      }
      positions[i - from] = positionOf[row];
    }
    return positions;
  }

  /** The positions of validation rows in the resident validation copy. */
  int[] positionsInValidation(int[] rows) {
    int[] positions = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      int row = rows[i];
      if (row < 0 || row >= validationPositionOf.length || validationPositionOf[row] < 0) {
        throw new IllegalArgumentException("row " + row + " is not a validation row");
      }
      positions[i] = validationPositionOf[row];
    }
    return positions;
  }

  /** The shard of a row of the split, or -1 (also for a row outside the split). */
  int shardOf(int row) {
    return row < 0 || row >= shardOf.length ? -1 : shardOf[row];
  }

  int positionOf(int row) {
    return positionOf[row];
  }
}

package dev.vprompt.train.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The sharded order's promises, over layouts where the batch divides over the towers and where it does not. */
class RowOrderTest {

  /** (training rows, batch, towers): even, uneven, a last batch smaller than the towers, one tower. */
  private static final int[][] LAYOUTS = {{162, 16, 2}, {163, 15, 2}, {1000, 128, 3}, {101, 10, 4}, {50, 7, 1},
      {97, 32, 5}};

  /** A split as RowOrder.trainValidation gives it, with labels over 10 classes of unequal sizes. */
  private static int[] labels(int rows) {
    SplittableRandom random = new SplittableRandom(3);
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      labels[i] = random.nextInt(10) < 3 ? 0 : random.nextInt(10);
    }
    return labels;
  }

  @Test
  void everyRowOnceAnEpochAndEachTowersShareFromItsShard() {
    for (int[] layout : LAYOUTS) {
      int rows = layout[0];
      int batch = layout[1];
      int towers = layout[2];
      int[] labels = labels(rows + 20);
      int[] train = RowOrder.trainValidation(rows + 20, 20.0 / (rows + 20), 11).train();
      assertEquals(rows, train.length);
      int[][] shards = RowOrder.shards(train, labels, batch, towers, 11);
      int[] all = Arrays.stream(shards).flatMapToInt(Arrays::stream).sorted().toArray();
      assertArrayEquals(train, all, "the shards partition the training rows " + Arrays.toString(layout));
      for (int epoch = 1; epoch <= 3; epoch++) {
        int[] order = RowOrder.shardedEpochOrder(shards, batch, 11, epoch);
        assertArrayEquals(train, Arrays.stream(order).sorted().toArray(), "every row once, epoch " + epoch);
        for (int start = 0; start < order.length; start += batch) {
          int length = Math.min(batch, order.length - start);
          int at = start;
          for (int k = 0; k < towers; k++) {
            int share = RowOrder.share(length, towers, k);
            Set<Integer> shard = set(shards[k]);
            for (int i = at; i < at + share; i++) {
              assertTrue(shard.contains(order[i]), "row at " + i + " of tower " + k + "'s share is in its shard, "
                  + Arrays.toString(layout) + " epoch " + epoch);
            }
            at += share;
          }
        }
      }
    }
  }

  @Test
  void shardSizesDifferByAtMostOneWhenTheBatchDividesOverTheTowers() {
    assertArrayEquals(new int[] {81, 81}, RowOrder.shardSizes(162, 16, 2));
    assertArrayEquals(new int[] {26, 25, 25, 25}, RowOrder.shardSizes(101, 8, 4));
    assertArrayEquals(new int[] {334, 333, 333}, RowOrder.shardSizes(1000, 126, 3));
    for (int[] layout : LAYOUTS) {
      int[] sizes = RowOrder.shardSizes(layout[0], layout[1], layout[2]);
      assertEquals(layout[0], Arrays.stream(sizes).sum());
      int spread = Arrays.stream(sizes).max().getAsInt() - Arrays.stream(sizes).min().getAsInt();
      int fullSteps = layout[0] / layout[1];
      if (layout[1] % layout[2] == 0) {
        assertTrue(spread <= 1, Arrays.toString(layout) + ": " + Arrays.toString(sizes));
      } else {
        // the first batch % towers towers take one more row every full step, as the scatter gives them
        assertTrue(spread <= fullSteps + 1, Arrays.toString(layout) + ": " + Arrays.toString(sizes));
      }
    }
    // 163 rows in batches of 15 over 2 towers: 10 full steps of 8 + 7, then 13 rows as 7 + 6
    assertArrayEquals(new int[] {87, 76}, RowOrder.shardSizes(163, 15, 2));
  }

  @Test
  void shardsHoldEachClassInProportion() {
    int rows = 1000;
    int[] labels = labels(rows);
    int[] train = RowOrder.trainValidation(rows, 0, 5).train();
    int[][] shards = RowOrder.shards(train, labels, 128, 3, 5);
    for (int c = 0; c < 10; c++) {
      int cls = c;
      long inSplit = Arrays.stream(train).filter(r -> labels[r] == cls).count();
      for (int[] shard : shards) {
        long held = Arrays.stream(shard).filter(r -> labels[r] == cls).count();
        double proportional = (double) inSplit * shard.length / rows;
        assertTrue(Math.abs(held - proportional) <= 1.0, "class " + c + ": " + held + " of " + proportional);
      }
    }
  }

  @Test
  void deterministicPerSeedAndOneShardIsTheReplicatedOrder() {
    int[] labels = labels(300);
    int[] train = RowOrder.trainValidation(300, 0.1, 7).train();
    int[][] shards = RowOrder.shards(train, labels, 16, 2, 7);
    assertTrue(Arrays.deepEquals(shards, RowOrder.shards(train, labels, 16, 2, 7)));
    assertFalse(Arrays.deepEquals(shards, RowOrder.shards(train, labels, 16, 2, 8)), "another seed, other shards");
    assertArrayEquals(RowOrder.shardedEpochOrder(shards, 16, 7, 2), RowOrder.shardedEpochOrder(shards, 16, 7, 2));
    assertFalse(Arrays.equals(RowOrder.shardedEpochOrder(shards, 16, 7, 1), RowOrder.shardedEpochOrder(shards, 16, 7, 2)),
        "each epoch shuffles again");
    assertFalse(Arrays.equals(RowOrder.shardedEpochOrder(shards, 16, 7, 1), RowOrder.shardedEpochOrder(shards, 16, 8, 1)),
        "another seed, another order");

    int[][] one = RowOrder.shards(train, labels, 16, 1, 7);
    assertArrayEquals(train, one[0]);
    assertArrayEquals(RowOrder.epochOrder(train, 7, 3), RowOrder.shardedEpochOrder(one, 16, 7, 3));
  }

  @Test
  void anOrderOfShardsThatDoNotFitTheBatchIsRefused() {
    int[][] shards = {{0, 1, 2, 3, 4}, {5, 6, 7}};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RowOrder.shardedEpochOrder(shards, 4, 1, 1));
    assertTrue(e.getMessage().contains("[5, 3]") && e.getMessage().contains("[4, 4]"), e.getMessage());
  }

  private static Set<Integer> set(int[] rows) {
    Set<Integer> set = new HashSet<>();
    for (int r : rows) {
      set.add(r);
    }
    return set;
  }
}

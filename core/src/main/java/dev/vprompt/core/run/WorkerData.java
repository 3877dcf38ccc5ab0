package dev.vprompt.core.run;

import java.util.List;
import java.util.Locale;

/**
 * How the towers hold the training split, as config.json records it ({@code worker_data}): every tower
 * a copy of the whole split ({@code replicated}), or tower k only its fixed shard k ({@code sharded}).
 * The mode decides the training order (a sharded epoch draws each tower's share of a batch from its own
 * shard), so a run resumes only in the mode and, sharded, on the number of towers it started with.
 *
 * @param mode {@link #REPLICATED} or {@link #SHARDED}
 * @param shardRows sharded: the rows of each shard, tower by tower; replicated: null
 */
public record WorkerData(String mode, List<Integer> shardRows) {

  public static final String REPLICATED = "replicated";
  public static final String SHARDED = "sharded";

  /** Runs recorded before the mode existed trained replicated. */
  public static final WorkerData REPLICATED_DATA = new WorkerData(REPLICATED, null);

  public WorkerData {
    if (!REPLICATED.equals(mode) && !SHARDED.equals(mode)) {
      throw new IllegalArgumentException("worker data is 'replicated' or 'sharded', got '" + mode + "'");
    }
    if (SHARDED.equals(mode) && (shardRows == null || shardRows.isEmpty())) {
      throw new IllegalArgumentException("sharded worker data needs the rows of each shard");
    }
    if (REPLICATED.equals(mode) && shardRows != null) {
      throw new IllegalArgumentException("replicated worker data has no shards");
    }
    shardRows = shardRows == null ? null : List.copyOf(shardRows);
  }

  public static WorkerData sharded(int[] rowsPerShard) {
    return new WorkerData(SHARDED, java.util.Arrays.stream(rowsPerShard).boxed().toList());
  }

  /** The mode a command line names: {@code sharded} or {@code replicated}, any case. */
  public static String parseMode(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (!t.equals(REPLICATED) && !t.equals(SHARDED)) {
      throw new IllegalArgumentException("--worker-data is 'sharded' or 'replicated', got '" + text + "'");
    }
    return t;
  }

  public boolean sharded() {
    return SHARDED.equals(mode);
  }

  @Override
  public String toString() {
    return sharded() ? SHARDED + " over " + shardRows.size() + (shardRows.size() == 1 ? " tower" : " towers") + ", rows "
        + shardRows : REPLICATED;
  }
}

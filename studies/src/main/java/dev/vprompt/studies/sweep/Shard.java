package dev.vprompt.studies.sweep;

/**
 * One of {@code count} disjoint parts of a grid: run k belongs to shard {@code k mod count}, so that
 * several machines share a sweep without talking to each other.
 */
public record Shard(int index, int count) {

  public static final Shard ALL = new Shard(0, 1);

  public Shard {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException("--shard must be i/n with 0 <= i < n, got " + index + "/" + count);
    }
  }

  /** Parses {@code i/n}, e.g. {@code 0/4}. */
  public static Shard parse(String text) {
    String[] parts = text.strip().split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException("--shard must be i/n (e.g. 0/4), got '" + text + "'");
    }
    try {
      return new Shard(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--shard must be i/n with whole numbers (e.g. 0/4), got '" + text + "'");
    }
  }

  public boolean contains(SweepRun run) {
    return run.index() % count == index;
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}

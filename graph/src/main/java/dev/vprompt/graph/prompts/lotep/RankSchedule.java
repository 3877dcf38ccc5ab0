package dev.vprompt.graph.prompts.lotep;

import java.util.Locale;

/**
 * LoTeP's layer-wise rank r_l for the d prompted blocks l = 0..d-1 (the LoTeP paper §4.2, Fig. 4(c)).
 *
 * <ul>
 *   <li>{@code cosine} (default, eq. 8): {@code r_l = ceil(1 + (r0 - 1)/2 (1 + cos(pi l/(d - 1))))}.
 *   <li>{@code linear}: {@code r_l = ceil(r0 - (r0 - 1) l/(d - 1))}, from r0 down to 1 in equal steps.
 *   <li>{@code constant}: {@code r_l = r0}.
 * </ul>
 *
 * Eq. 8 divides by d - 1: with one prompted block (d = 1) that block keeps r0. The ceiling is of the
 * exact value: a value within 1e-9 of an integer counts as that integer, so that double rounding (e.g.
 * {@code cos(pi/3) = 0.5000000000000001}) never adds a rank.
 */
public enum RankSchedule {
  COSINE, LINEAR, CONSTANT;

  private static final double INTEGER_TOLERANCE = 1e-9;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RankSchedule parse(String text) {
    for (RankSchedule s : values()) {
      if (s.label().equalsIgnoreCase(text == null ? "" : text.trim())) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown rank schedule '" + text + "'; known: cosine, linear, constant");
  }

  /** The ranks of blocks 0..depth-1. */
  public int[] ranks(int rank0, int depth) {
    if (rank0 < 1) {
      throw new IllegalArgumentException("the initial rank r0 must be at least 1, got " + rank0);
    }
    if (depth < 1) {
      throw new IllegalArgumentException("a rank schedule needs at least one prompted block, got " + depth);
    }
    int[] ranks = new int[depth];
    for (int l = 0; l < depth; l++) {
      ranks[l] = rank(rank0, l, depth);
    }
    return ranks;
  }

  private int rank(int rank0, int layer, int depth) {
    if (this == CONSTANT || depth == 1) {
      return rank0;
    }
    double progress = (double) layer / (depth - 1);
    double value = this == COSINE
        ? 1 + (rank0 - 1) / 2.0 * (1 + Math.cos(Math.PI * progress))
        : rank0 - (rank0 - 1) * progress;
    return (int) Math.ceil(value - INTEGER_TOLERANCE);
  }
}

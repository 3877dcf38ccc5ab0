package dev.vprompt.graph.prompts;

import dev.vprompt.graph.prompts.lotep.RankSchedule;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** eq. 8 and the depth d = floor(L rho), against values worked out by hand. */
class RankScheduleTest {

  private static int[] cosine(int rank0, int blocks, double rho) {
    return RankSchedule.COSINE.ranks(rank0, new PromptDepth(rho).blocks(blocks));
  }

  @Test
  void cosineMatchesEquationEightByHand() {
    // ResNet-18 (L = 8), rho = 0.5: d = 4, cos(pi l/3) = 1, 1/2, -1/2, -1:
    // 1 + 2.5 (2, 1.5, 0.5, 0) = 6, 4.75, 2.25, 1 -> 6, 5, 3, 1
    assertArrayEquals(new int[] {6, 5, 3, 1}, cosine(6, 8, 0.5));
    // ViT-Tiny (L = 12), rho = 0.5: d = 6, cos(pi l/5) = 1, .809, .309, -.309, -.809, -1:
    // 1 + 2.5 (2, 1.809, 1.309, .691, .191, 0) = 6, 5.52, 4.27, 2.73, 1.48, 1
    assertArrayEquals(new int[] {6, 6, 5, 3, 2, 1}, cosine(6, 12, 0.5));
    // L = 8, rho = 1: d = 8, cos(pi l/7) = 1, .901, .623, .223, -.223, -.623, -.901, -1:
    // 1 + 2.5 (2, 1.901, 1.623, 1.223, .777, .377, .099, 0) = 6, 5.75, 5.06, 4.06, 2.94, 1.94, 1.25, 1
    assertArrayEquals(new int[] {6, 6, 6, 5, 3, 2, 2, 1}, cosine(6, 8, 1.0));
    // r0 = 3, L = 12, rho = 0.25: d = 3, cos(0, pi/2, pi) -> 1 + (2, 1, 0) = 3, 2, 1
    assertArrayEquals(new int[] {3, 2, 1}, cosine(3, 12, 0.25));
    // r0 = 1: rank 1 everywhere
    assertArrayEquals(new int[] {1, 1, 1, 1}, cosine(1, 8, 0.5));
  }

  /** 1 + 2 (1 + cos(pi/3)) is exactly 4, though in doubles it is 4.000000000000001: no extra rank. */
  @Test
  void anExactIntegerIsNotRoundedUp() {
    assertArrayEquals(new int[] {5, 4, 2, 1}, cosine(5, 8, 0.5));
  }

  @Test
  void oneBlockKeepsTheInitialRankWithoutDividingByZero() {
    assertArrayEquals(new int[] {6}, cosine(6, 4, 0.25));
    assertArrayEquals(new int[] {6}, cosine(6, 12, 0.1));
    assertArrayEquals(new int[] {6}, RankSchedule.LINEAR.ranks(6, 1));
  }

  @Test
  void linearAndConstantSchedules() {
    // 6 - 5 l/5 = 6, 5, 4, 3, 2, 1
    assertArrayEquals(new int[] {6, 5, 4, 3, 2, 1}, RankSchedule.LINEAR.ranks(6, 6));
    // 6 - 5 l/3 = 6, 4.33, 2.67, 1 -> 6, 5, 3, 1
    assertArrayEquals(new int[] {6, 5, 3, 1}, RankSchedule.LINEAR.ranks(6, 4));
    assertArrayEquals(new int[] {6, 6, 6}, RankSchedule.CONSTANT.ranks(6, 3));
  }

  @Test
  void depthIsTheFloorOfBlocksTimesRatio() {
    assertEquals(4, new PromptDepth(0.5).blocks(8));
    assertEquals(8, new PromptDepth(0.7).blocks(12));
    assertEquals(12, new PromptDepth(1.0).blocks(12));
    assertEquals(0, new PromptDepth(0.2).blocks(4));
    assertEquals(3, new PromptDepth(0.3).blocks(10));
  }

  @Test
  void rejectsWhatEquationEightCannotTake() {
    assertThrows(IllegalArgumentException.class, () -> RankSchedule.COSINE.ranks(0, 4));
    assertThrows(IllegalArgumentException.class, () -> RankSchedule.COSINE.ranks(6, 0));
    for (double rho : new double[] {0, -0.5, 1.01, Double.NaN}) {
      assertThrows(IllegalArgumentException.class, () -> new PromptDepth(rho), "rho " + rho);
    }
    assertThrows(IllegalArgumentException.class, () -> RankSchedule.parse("exponential"));
    assertEquals(RankSchedule.LINEAR, RankSchedule.parse("Linear"));
  }
}

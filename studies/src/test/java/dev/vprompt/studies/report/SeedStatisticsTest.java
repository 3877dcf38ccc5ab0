package dev.vprompt.studies.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Against values computed by hand and the printed t table. */
class SeedStatisticsTest {

  @Test
  void meanAndSampleStandardDeviation() {
    double[] values = {2, 4, 4, 4, 5, 5, 7, 9};
    assertEquals(5.0, SeedStatistics.mean(values), 1e-12);
    // squares of deviations sum to 32; 32 / 7
    assertEquals(Math.sqrt(32.0 / 7), SeedStatistics.standardDeviation(values), 1e-12);
    assertTrue(Double.isNaN(SeedStatistics.standardDeviation(new double[] {3})));
  }

  @Test
  void tQuantilesMatchTheTable() {
    assertEquals(12.706, SeedStatistics.tQuantile(0.975, 1), 1e-3);
    assertEquals(4.303, SeedStatistics.tQuantile(0.975, 2), 1e-3);
    assertEquals(2.776, SeedStatistics.tQuantile(0.975, 4), 1e-3);
    assertEquals(2.228, SeedStatistics.tQuantile(0.975, 10), 1e-3);
    // df = 1 is the Cauchy distribution: 1/2 + atan(t)/pi
    assertEquals(0.75, SeedStatistics.tCdf(1, 1), 1e-12);
    // df = 2: 1/2 + t / (2 sqrt(2 + t^2))
    assertEquals(0.5 + 1.5 / (2 * Math.sqrt(4.25)), SeedStatistics.tCdf(1.5, 2), 1e-10);
  }

  @Test
  void intervalOfTheMeanUsesTWithNMinusOneDegrees() {
    SeedStatistics.Estimate e = SeedStatistics.estimate(new double[] {92.0, 92.4, 92.8});
    assertEquals(92.4, e.mean(), 1e-12);
    assertEquals(0.4, e.sd(), 1e-12);
    double half = 4.302653 * 0.4 / Math.sqrt(3);
    assertEquals(92.4 - half, e.low(), 1e-5);
    assertEquals(92.4 + half, e.high(), 1e-5);
  }

  @Test
  void pairedTestByHand() {
    // differences 0.3, 0.5, -0.1: mean 7/30, variance 7/75, t^2 = 1.75 exactly, df 2
    SeedStatistics.PairedTest test =
        SeedStatistics.pairedTest(new double[] {92.1, 92.5, 92.3}, new double[] {91.8, 92.0, 92.4});
    assertEquals(7.0 / 30, test.difference().mean(), 1e-12);
    assertEquals(Math.sqrt(7.0 / 75), test.difference().sd(), 1e-12);
    assertEquals(Math.sqrt(1.75), test.t(), 1e-9);
    assertEquals(1 - Math.sqrt(1.75 / 3.75), test.p(), 1e-9);
    double half = 4.302653 * Math.sqrt(7.0 / 225);
    assertEquals(7.0 / 30 - half, test.difference().low(), 1e-5);
    assertEquals(7.0 / 30 + half, test.difference().high(), 1e-5);
  }

  @Test
  void oneSeedHasNoIntervalAndNoTest() {
    SeedStatistics.PairedTest test = SeedStatistics.pairedTest(new double[] {92.1}, new double[] {91.8});
    assertFalse(test.hasTest());
    assertFalse(test.difference().hasInterval());
    assertEquals(0.3, test.difference().mean(), 1e-12);
    assertTrue(Double.isNaN(test.p()));
    assertTrue(Double.isNaN(test.difference().low()));
  }

  @Test
  void identicalDifferencesAndBadInput() {
    SeedStatistics.PairedTest same = SeedStatistics.pairedTest(new double[] {1, 2}, new double[] {1, 2});
    assertEquals(1, same.p());
    assertThrows(IllegalArgumentException.class, () -> SeedStatistics.pairedTest(new double[] {1}, new double[] {1, 2}));
    assertThrows(IllegalArgumentException.class, () -> SeedStatistics.mean(new double[0]));
    assertThrows(IllegalArgumentException.class, () -> SeedStatistics.tQuantile(0.975, 0));
  }

  @Test
  void seedsForPowerByHand() {
    // sd = effect: n = 10 satisfies n >= (t(.975, 9) + t(.8, 9))^2 = (2.262 + 0.883)^2 = 9.89; n = 9 does not
    // ((2.306 + 0.889)^2 = 10.21)
    assertEquals(10, SeedStatistics.seedsForPower(0.2, 0.2, 0.8));
    assertEquals(10, SeedStatistics.seedsForPower(0.2, -0.2, 0.8), "the sign of the effect does not matter");
    // a large effect: two seeds, (12.706 + 1.376)^2 * 0.1^2 = 1.98
    assertEquals(2, SeedStatistics.seedsForPower(0.1, 1.0, 0.8));
    // the normal approximation for small effects: ((1.96 + 0.84) * 4)^2 = 125.4, a little more with t
    int many = SeedStatistics.seedsForPower(0.2, 0.05, 0.8);
    assertTrue(many >= 126 && many <= 130, "got " + many);
    assertEquals(SeedStatistics.MAX_SEEDS + 1, SeedStatistics.seedsForPower(1, 1e-4, 0.8));
    assertThrows(IllegalArgumentException.class, () -> SeedStatistics.seedsForPower(0, 0.1, 0.8));
    assertThrows(IllegalArgumentException.class, () -> SeedStatistics.seedsForPower(0.1, 0.1, 1.0));
  }
}

package dev.vprompt.studies.report;

import java.util.Arrays;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Mean, spread and Student-t inference over a handful of seeds. The sample standard deviation divides by
 * n - 1; intervals and tests use the t distribution with n - 1 degrees of freedom, which is what a
 * three-seed comparison needs (a normal approximation would claim far too much).
 */
public final class SeedStatistics {

  /** The two-sided confidence level of every interval in the report. */
  public static final double CONFIDENCE = 0.95;

  private SeedStatistics() {}

  public static double mean(double[] values) {
    requireSome(values);
    return Arrays.stream(values).sum() / values.length;
  }

  /** Sample standard deviation (n - 1 in the denominator); NaN for a single value. */
  public static double standardDeviation(double[] values) {
    requireSome(values);
    if (values.length < 2) {
      return Double.NaN;
    }
    double mean = mean(values);
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    return Math.sqrt(squares / (values.length - 1));
  }

  /** The p-quantile of Student's t with {@code df} degrees of freedom, e.g. t(0.975, 2) = 4.303. */
  public static double tQuantile(double p, int df) {
    requireDegrees(df);
    return new TDistribution(null, df).inverseCumulativeProbability(p);
  }

  /** P(T <= t) for Student's t with {@code df} degrees of freedom. */
  public static double tCdf(double t, int df) {
    requireDegrees(df);
    return new TDistribution(null, df).cumulativeProbability(t);
  }

  /** Mean, standard deviation and the 95% t interval of the mean; no interval below two values. */
  public static Estimate estimate(double[] values) {
    double mean = mean(values);
    int n = values.length;
    if (n < 2) {
      return new Estimate(n, mean, Double.NaN, Double.NaN, Double.NaN);
    }
    double sd = standardDeviation(values);
    double half = tQuantile(0.5 + CONFIDENCE / 2, n - 1) * sd / Math.sqrt(n);
    return new Estimate(n, mean, sd, mean - half, mean + half);
  }

  /**
   * The paired comparison of {@code treated[i]} with {@code baseline[i]} (same seed i): the interval
   * of the mean difference and the two-sided paired t-test of "no difference".
   */
  public static PairedTest pairedTest(double[] treated, double[] baseline) {
    if (treated.length != baseline.length) {
      throw new IllegalArgumentException("a paired test needs as many baseline values as treated ones, got "
          + baseline.length + " and " + treated.length);
    }
    double[] differences = new double[treated.length];
    for (int i = 0; i < differences.length; i++) {
      differences[i] = treated[i] - baseline[i];
    }
    Estimate d = estimate(differences);
    if (d.n() < 2) {
      return new PairedTest(d, Double.NaN, Double.NaN);
    }
    if (d.sd() == 0) {
      // identical differences on every seed: the test statistic is infinite (or undefined at 0)
      return new PairedTest(d, d.mean() == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, d.mean()),
          d.mean() == 0 ? 1 : 0);
    }
    double t = d.mean() / (d.sd() / Math.sqrt(d.n()));
    double p = 2 * tCdf(-Math.abs(t), d.n() - 1);
    return new PairedTest(d, t, p);
  }

  /** Beyond this many seeds {@link #seedsForPower} stops counting. */
  public static final int MAX_SEEDS = 10_000;

  /**
   * How many seeds a paired t-test at the 5% level needs to detect a true mean difference {@code effect}
   * with probability {@code power}, when per-seed differences spread with standard deviation {@code sd}:
   * the smallest n with n >= ((t(0.975, n-1) + t(power, n-1)) sd / |effect|)^2, the usual t-based sample
   * size. Tells a reader whether a comparison could have settled the question at all.
   *
   * @return at least 2; {@link #MAX_SEEDS} + 1 when more than that would be needed (or effect is 0)
   */
  public static int seedsForPower(double sd, double effect, double power) {
    if (!(sd > 0) || Double.isNaN(effect) || !(power > 0 && power < 1)) {
      throw new IllegalArgumentException("seedsForPower needs sd > 0, a finite effect and 0 < power < 1, got sd "
          + sd + ", effect " + effect + ", power " + power);
    }
    for (int n = 2; n <= MAX_SEEDS; n++) {
      double z = (tQuantile(0.5 + CONFIDENCE / 2, n - 1) + tQuantile(power, n - 1)) * sd / Math.abs(effect);
      if (n >= z * z) {
        return n;
      }
    }
    return MAX_SEEDS + 1;
  }

  /**
   * @param n how many values; below 2 there is no spread and no interval (NaN)
   * @param low lower end of the 95% interval of the mean
   */
  public record Estimate(int n, double mean, double sd, double low, double high) {
    public boolean hasInterval() {
      return n >= 2;
    }
  }

  /**
   * @param difference the per-seed differences' estimate (treated - baseline)
   * @param t the paired t statistic; NaN below two pairs
   * @param p the two-sided p-value; NaN below two pairs
   */
  public record PairedTest(Estimate difference, double t, double p) {
    public boolean hasTest() {
      return difference.n() >= 2;
    }
  }

  private static void requireSome(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values");
    }
  }

  private static void requireDegrees(int df) {
    if (df < 1) {
      throw new IllegalArgumentException("the t distribution needs at least 1 degree of freedom, got " + df);
    }
  }
}

package dev.vprompt.studies.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * Differences to the baseline with their 95% intervals, one row per comparison, around a line at zero:
 * an interval that crosses the line is a difference the seeds cannot tell from noise. Rows without an
 * interval (one seed) show the point alone.
 */
public final class DifferenceFigure {

  /** @param low NaN when there is no interval */
  public record Row(String label, double mean, double low, double high, String note) {}

  private static final Color INTERVAL = new Color(0x1f77b4);
  private static final Color UNSURE = new Color(0x888888);

  private DifferenceFigure() {}

  public static BufferedImage render(String title, String subtitle, String axisLabel, List<Row> rows) {
    // rows spread out when there are few, so a one-comparison figure does not look squashed
    final int row = rows.size() <= 3 ? 52 : 34;
    int labelWidth = rows.stream().mapToInt(r -> Figures.width(Figures.LABEL, r.label())).max().orElse(100) + 44;
    int noteWidth = rows.stream().mapToInt(r -> Figures.width(Figures.SMALL, r.note())).max().orElse(0) + 30;
    int plotWidth = 520;
    int top = 86;
    int width = Math.max(labelWidth + plotWidth + noteWidth + 20,
        Math.max(Figures.width(Figures.TITLE, title), Figures.width(Figures.LABEL, subtitle)) + 40);
    int height = top + rows.size() * row + 80;
    double limit = 0;
    for (Row r : rows) {
      limit = Math.max(limit, Math.abs(r.mean()));
      if (Double.isFinite(r.low())) {
        limit = Math.max(limit, Math.max(Math.abs(r.low()), Math.abs(r.high())));
      }
    }
    limit = limit > 0 ? niceCeiling(limit * 1.1) : 1;
    BufferedImage image = Figures.canvas(width, height);
    Graphics2D g = Figures.graphics(image);
    Figures.heading(g, title, subtitle);
    int x0 = labelWidth;
    int plotBottom = top + rows.size() * row;
    double scale = plotWidth / (2 * limit);
    double zero = x0 + plotWidth / 2.0;
    // grid and axis
    g.setColor(new Color(0xdddddd));
    for (int i = -4; i <= 4; i++) {
      double x = zero + i * limit / 4 * scale;
      g.draw(new Line2D.Double(x, top - 6, x, plotBottom));
    }
    g.setColor(Figures.TEXT);
    g.setStroke(new BasicStroke(1.5f));
    g.draw(new Line2D.Double(zero, top - 6, zero, plotBottom));
    g.draw(new Line2D.Double(x0, plotBottom, x0 + plotWidth, plotBottom));
    for (int i = -4; i <= 4; i++) {
      double v = i * limit / 4;
      double x = zero + v * scale;
      g.draw(new Line2D.Double(x, plotBottom, x, plotBottom + 5));
      Figures.centered(g, i == 0 ? "0" : String.format(Locale.ROOT, "%+.2g", v), Figures.SMALL, x, plotBottom + 16);
    }
    Figures.centered(g, axisLabel, Figures.HEADING, zero, plotBottom + 40);
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      double y = top + i * row + row / 2.0;
      g.setColor(Figures.TEXT);
      Figures.rightAligned(g, r.label(), Figures.LABEL, x0 - 12, y);
      boolean interval = Double.isFinite(r.low());
      boolean excludesZero = interval && (r.low() > 0 || r.high() < 0);
      Color color = excludesZero ? INTERVAL : UNSURE;
      g.setColor(color);
      g.setStroke(new BasicStroke(2.5f));
      if (interval) {
        double a = zero + clamp(r.low(), limit) * scale;
        double b = zero + clamp(r.high(), limit) * scale;
        g.draw(new Line2D.Double(a, y, b, y));
        g.draw(new Line2D.Double(a, y - 6, a, y + 6));
        g.draw(new Line2D.Double(b, y - 6, b, y + 6));
      }
      double x = zero + clamp(r.mean(), limit) * scale;
      g.fill(new Ellipse2D.Double(x - 5, y - 5, 10, 10));
      g.setColor(Figures.TEXT);
      g.setFont(Figures.SMALL);
      g.drawString(r.note(), x0 + plotWidth + 14, (float) y + 4);
    }
    g.dispose();
    return image;
  }

  private static double clamp(double v, double limit) {
    return Math.max(-limit, Math.min(limit, v));
  }

  /** 1, 2 or 5 times a power of ten, at least {@code v}. */
  private static double niceCeiling(double v) {
    double power = Math.pow(10, Math.floor(Math.log10(v)));
    for (double step : new double[] {1, 2, 5, 10}) {
      if (step * power >= v) {
        return step * power;
      }
    }
    return 10 * power;
  }
}

package dev.vprompt.studies.analysis;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * Confusion matrices as heatmaps side by side: rows the true class, columns the predicted one, each
 * cell's value written in it, class names on both axes and a colour bar per panel.
 */
public final class ConfusionFigure {

  /**
   * One matrix.
   *
   * @param format how cell values are written, e.g. {@code %.0f}; cells whose written value is zero
   *     are left blank so that the pattern stands out
   */
  public record Panel(String title, double[][] values, ColorScale scale, String format, String legend) {}

  private static final int CELL = 46;

  private ConfusionFigure() {}

  /** Each row as a percentage of its true class (rows of zeros stay zero). */
  public static double[][] rowPercent(long[][] counts) {
    double[][] out = new double[counts.length][];
    for (int r = 0; r < counts.length; r++) {
      long total = 0;
      for (long v : counts[r]) {
        total += v;
      }
      out[r] = new double[counts[r].length];
      for (int c = 0; c < counts[r].length; c++) {
        out[r][c] = total == 0 ? 0 : 100.0 * counts[r][c] / total;
      }
    }
    return out;
  }

  public static double[][] difference(double[][] a, double[][] b) {
    double[][] out = new double[a.length][];
    for (int r = 0; r < a.length; r++) {
      out[r] = new double[a[r].length];
      for (int c = 0; c < a[r].length; c++) {
        out[r][c] = a[r][c] - b[r][c];
      }
    }
    return out;
  }

  public static BufferedImage render(String title, String subtitle, List<String> classes, List<Panel> panels) {
    int n = classes.size();
    int labelWidth = classes.stream().mapToInt(c -> Figures.width(Figures.LABEL, c)).max().orElse(40) + 12;
    int matrix = n * CELL;
    int legendWidth = 40 + panels.stream().mapToInt(p -> Figures.width(Figures.SMALL, p.legend())).max().orElse(60);
    int panelWidth = labelWidth + 30 + matrix + 20 + legendWidth;
    int top = 90;
    // column labels are written at 45 degrees below the matrix
    int bottom = (int) (labelWidth * 0.75) + 50;
    int width = Math.max(panelWidth * panels.size() + 20, Math.max(Figures.width(Figures.TITLE, title),
        subtitle == null ? 0 : Figures.width(Figures.LABEL, subtitle)) + 40);
    BufferedImage image = Figures.canvas(width, top + 30 + matrix + bottom);
    Graphics2D g = Figures.graphics(image);
    Figures.heading(g, title, subtitle);
    for (int p = 0; p < panels.size(); p++) {
      paintPanel(g, panels.get(p), classes, 10 + p * panelWidth, top, labelWidth);
    }
    g.dispose();
    return image;
  }

  private static void paintPanel(Graphics2D g, Panel panel, List<String> classes, int left, int top, int labelWidth) {
    int n = classes.size();
    int x0 = left + labelWidth + 30;
    int y0 = top + 30;
    Figures.centered(g, panel.title(), Figures.HEADING, x0 + n * CELL / 2.0, top + 6);
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        double v = panel.values()[r][c];
        g.setColor(panel.scale().color(v));
        g.fillRect(x0 + c * CELL, y0 + r * CELL, CELL, CELL);
        String text = String.format(Locale.ROOT, panel.format(), v);
        if (!isZero(text)) {
          g.setColor(panel.scale().textOn(v));
          Figures.centered(g, text, Figures.SMALL, x0 + c * CELL + CELL / 2.0, y0 + r * CELL + CELL / 2.0);
        }
      }
    }
    g.setColor(Figures.TEXT);
    g.drawRect(x0, y0, n * CELL, n * CELL);
    // the diagonal: correct predictions
    for (int i = 0; i < n; i++) {
      g.drawRect(x0 + i * CELL, y0 + i * CELL, CELL, CELL);
    }
    for (int i = 0; i < n; i++) {
      Figures.rightAligned(g, classes.get(i), Figures.LABEL, x0 - 6, y0 + i * CELL + CELL / 2.0);
      Figures.rotated(g, classes.get(i), Figures.LABEL, x0 + i * CELL + CELL / 2.0 - 4, y0 + n * CELL + 12, 45);
    }
    Figures.rotated(g, "true class", Figures.HEADING, left + 14, y0 + n * CELL / 2.0 + 35, -90);
    Figures.centered(g, "predicted class", Figures.HEADING, x0 + n * CELL / 2.0,
        y0 + n * CELL + labelWidth * 0.75 + 34);
    ColorScale scale = panel.scale();
    String ticks = (scale.max() - scale.min() < 10 ? "%.1f" : "%.0f").replace("%", scale.min() < 0 ? "%+" : "%");
    scale.paintVertical(g, x0 + n * CELL + 20, y0 + 20, 16, n * CELL - 20, panel.legend(), ticks);
  }

  private static boolean isZero(String text) {
    return text.matches("[-+]?0*\\.?0*");
  }
}

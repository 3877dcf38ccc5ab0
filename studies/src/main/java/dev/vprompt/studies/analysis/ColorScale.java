package dev.vprompt.studies.analysis;

import java.awt.Color;
import java.awt.Graphics2D;
import java.util.Locale;

/**
 * Maps values to colours, and draws itself as a labelled colour bar. Sequential scales (counts,
 * percentages) run from white to dark blue; diverging ones (differences, prompt values) from blue
 * through white at zero to red, symmetric around zero so that the sign reads at a glance.
 */
public final class ColorScale {

  private static final Color[] BLUES = {new Color(0xf7fbff), new Color(0xc6dbef), new Color(0x6baed6),
      new Color(0x2171b5), new Color(0x08306b)};
  private static final Color[] BLUE_WHITE_RED = {new Color(0x2166ac), new Color(0x67a9cf), new Color(0xf7f7f7),
      new Color(0xef8a62), new Color(0xb2182b)};
  /** Grad-CAM's customary jet-like map: blue (none) to red (most). */
  private static final Color[] JET = {new Color(0x00007f), new Color(0x0050ff), new Color(0x00d4ff),
      new Color(0x7dff7a), new Color(0xffe600), new Color(0xff4700), new Color(0x7f0000)};

  private final Color[] stops;
  private final double min;
  private final double max;

  private ColorScale(Color[] stops, double min, double max) {
    this.stops = stops;
    this.min = min;
    this.max = max > min ? max : min + 1;
  }

  /** White at 0 to dark blue at {@code max}. */
  public static ColorScale sequential(double max) {
    return new ColorScale(BLUES, 0, max);
  }

  /** Blue at {@code -limit}, white at 0, red at {@code +limit}. */
  public static ColorScale diverging(double limit) {
    double l = limit > 0 && Double.isFinite(limit) ? limit : 1;
    return new ColorScale(BLUE_WHITE_RED, -l, l);
  }

  /** Grad-CAM heat from 0 to 1. */
  public static ColorScale heat() {
    return new ColorScale(JET, 0, 1);
  }

  public double min() {
    return min;
  }

  public double max() {
    return max;
  }

  public Color color(double value) {
    if (Double.isNaN(value)) {
      return Color.LIGHT_GRAY;
    }
    double t = Math.max(0, Math.min(1, (value - min) / (max - min))) * (stops.length - 1);
    int i = Math.min((int) t, stops.length - 2);
    double f = t - i;
    Color a = stops[i];
    Color b = stops[i + 1];
    return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
        (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
        (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
  }

  /** Black or white, whichever reads better on the value's colour. */
  public Color textOn(double value) {
    Color c = color(value);
    double luminance = 0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue();
    return luminance < 140 ? Color.WHITE : Figures.TEXT;
  }

  /**
   * A vertical colour bar at (x, y) of the given size with five ticks and a caption above it.
   *
   * @return the width used, ticks included
   */
  public int paintVertical(Graphics2D g, int x, int y, int width, int height, String caption, String format) {
    for (int row = 0; row < height; row++) {
      double value = max - (max - min) * row / Math.max(1, height - 1);
      g.setColor(color(value));
      g.fillRect(x, y + row, width, 1);
    }
    g.setColor(Figures.TEXT);
    g.drawRect(x, y, width, height);
    int widest = 0;
    for (int i = 0; i <= 4; i++) {
      double value = max - (max - min) * i / 4;
      int ty = y + (int) Math.round((double) height * i / 4);
      g.drawLine(x + width, ty, x + width + 4, ty);
      String text = tick(format, value);
      g.setFont(Figures.SMALL);
      g.drawString(text, x + width + 7, ty + 4);
      widest = Math.max(widest, Figures.width(Figures.SMALL, text));
    }
    if (caption != null && !caption.isEmpty()) {
      g.setFont(Figures.SMALL);
      g.drawString(caption, x - 4, y - 8);
      widest = Math.max(widest, Figures.width(Figures.SMALL, caption) - width - 4);
    }
    return width + 7 + widest;
  }

  /** A tick's text; zero is written 0, not +0.000. */
  private static String tick(String format, double value) {
    return Math.abs(value) < 1e-12 ? "0" : String.format(Locale.ROOT, format, value);
  }

  /** A horizontal colour bar with ticks below and the caption to its left. */
  public void paintHorizontal(Graphics2D g, int x, int y, int width, int height, String caption, String format) {
    for (int col = 0; col < width; col++) {
      double value = min + (max - min) * col / Math.max(1, width - 1);
      g.setColor(color(value));
      g.fillRect(x + col, y, 1, height);
    }
    g.setColor(Figures.TEXT);
    g.drawRect(x, y, width, height);
    for (int i = 0; i <= 4; i++) {
      double value = min + (max - min) * i / 4;
      int tx = x + (int) Math.round((double) width * i / 4);
      g.drawLine(tx, y + height, tx, y + height + 4);
      Figures.centered(g, tick(format, value), Figures.SMALL, tx, y + height + 14);
    }
    if (caption != null) {
      Figures.rightAligned(g, caption, Figures.LABEL, x - 10, y + height / 2.0);
    }
  }
}

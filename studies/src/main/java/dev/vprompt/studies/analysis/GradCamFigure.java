package dev.vprompt.studies.analysis;

import dev.vprompt.core.data.ImageSet;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * Grad-CAM overlays: one row per test image, the image itself first, then each model's heat map blended
 * over it (half image, half colour), captioned with its prediction: green when right, red when wrong.
 */
public final class GradCamFigure {

  /** One model's explanations of the figure's images, in row order. */
  public record Column(String title, List<GradCam.Explanation> explanations) {}

  private static final int TILE = 150;
  private static final int GAP = 16;
  private static final Color RIGHT = new Color(0x1a7f37);
  private static final Color WRONG = new Color(0xc62828);

  private GradCamFigure() {}

  public static BufferedImage render(String title, ImageSet images, int[] rows, List<String> classes,
      List<Column> columns) {
    int widest = TILE;
    for (Column column : columns) {
      widest = Math.max(widest, Figures.width(Figures.HEADING, column.title()));
      for (GradCam.Explanation e : column.explanations()) {
        widest = Math.max(widest, Figures.width(Figures.LABEL, caption(e, -1, classes)));
      }
    }
    int columnWidth = widest + GAP;
    String subtitle = "Where each model looks for the class it predicts (its last block's Grad-CAM).";
    int width = Math.max(20 + (columns.size() + 1) * columnWidth + 20,
        Math.max(Figures.width(Figures.TITLE, title), Figures.width(Figures.LABEL, subtitle)) + 40);
    int top = 96;
    int rowHeight = TILE + 44;
    int height = top + rows.length * rowHeight + 80;
    width = Math.max(width, 640);
    BufferedImage image = Figures.canvas(width, height);
    Graphics2D g = Figures.graphics(image);
    Figures.heading(g, title, subtitle);
    Figures.centered(g, "test image", Figures.HEADING, 20 + TILE / 2.0, top - 14);
    for (int c = 0; c < columns.size(); c++) {
      Figures.centered(g, columns.get(c).title(), Figures.HEADING, 20 + (c + 1) * columnWidth + TILE / 2.0, top - 14);
    }
    for (int r = 0; r < rows.length; r++) {
      int y = top + r * rowHeight;
      int truth = images.label(rows[r]);
      g.drawImage(tile(images, rows[r], null), 20, y, null);
      g.setColor(Figures.TEXT);
      Figures.centered(g, "true: " + classes.get(truth), Figures.LABEL, 20 + TILE / 2.0, y + TILE + 16);
      for (int c = 0; c < columns.size(); c++) {
        GradCam.Explanation e = columns.get(c).explanations().get(r);
        int x = 20 + (c + 1) * columnWidth;
        g.drawImage(tile(images, rows[r], e.heat()), x, y, null);
        g.setColor(e.predicted() == truth ? RIGHT : WRONG);
        Figures.centered(g, caption(e, truth, classes), Figures.LABEL, x + TILE / 2.0, y + TILE + 16);
      }
      g.setColor(Figures.TEXT);
    }
    int barY = top + rows.length * rowHeight + 14;
    int barX = 20 + 100;
    ColorScale.heat().paintHorizontal(g, barX, barY, Math.min(360, width - barX - 40), 14, "Grad-CAM", "%.2f");
    g.setFont(Figures.SMALL);
    g.drawString("0 = no evidence, 1 = the image's strongest", barX, barY + 48);
    g.dispose();
    return image;
  }

  private static String caption(GradCam.Explanation e, int truth, List<String> classes) {
    return String.format(Locale.ROOT, "%s %s (%.0f%%)", e.predicted() == truth ? "right:" : "wrong:",
        classes.get(e.predicted()), 100 * e.confidence());
  }

  /** The image scaled to a TILE square (nearest neighbour), with the heat map blended in when given. */
  static BufferedImage tile(ImageSet images, int row, float[] heat) {
    int h = images.height();
    int w = images.width();
    int channels = images.channels();
    byte[] pixels = images.imageBytes(row);
    ColorScale scale = ColorScale.heat();
    BufferedImage tile = new BufferedImage(TILE, TILE, BufferedImage.TYPE_INT_RGB);
    for (int ty = 0; ty < TILE; ty++) {
      int y = Math.min(h - 1, ty * h / TILE);
      for (int tx = 0; tx < TILE; tx++) {
        int x = Math.min(w - 1, tx * w / TILE);
        int base = (y * w + x) * channels;
        int red = pixels[base] & 0xff;
        int green = channels == 3 ? pixels[base + 1] & 0xff : red;
        int blue = channels == 3 ? pixels[base + 2] & 0xff : red;
        if (heat != null) {
          Color c = scale.color(heat[y * w + x]);
          red = (red + c.getRed()) / 2;
          green = (green + c.getGreen()) / 2;
          blue = (blue + c.getBlue()) / 2;
        }
        tile.setRGB(tx, ty, (red << 16) | (green << 8) | blue);
      }
    }
    return tile;
  }
}

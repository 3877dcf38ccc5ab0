package dev.vprompt.studies.analysis;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The learned prompt maps of one run: a row per scale (and one for the field added to the image), and
 * per channel the map at its native size (its pixels drawn as blocks) beside the same map upsampled to
 * the image as the model uses it. Each row has its own symmetric colour scale: the global map is
 * usually much larger in magnitude than the local one, and one scale would hide the local structure.
 */
public final class PromptMapFigure {

  private static final int TILE = 168;
  private static final int GAP = 18;
  private static final int ROW_LABEL = 176;

  private PromptMapFigure() {}

  private record Row(String label, int side, List<float[]> natives, List<float[]> upsampled) {}

  public static BufferedImage render(String title, PromptMaps maps) {
    List<Row> rows = new ArrayList<>();
    int pixels = maps.height() * maps.width();
    for (PromptMaps.Scale s : maps.scales()) {
      List<float[]> natives = new ArrayList<>();
      List<float[]> up = new ArrayList<>();
      for (int c = 0; c < maps.channels(); c++) {
        natives.add(s.channel(c, maps.channels()));
        up.add(s.upsampledChannel(c, maps.channels(), pixels));
      }
      rows.add(new Row(s.name() + " (" + s.side() + "x" + s.side() + ")", s.side(), natives, up));
    }
    if (maps.field() != null) {
      List<float[]> field = new ArrayList<>();
      for (int c = 0; c < maps.channels(); c++) {
        field.add(PromptMaps.channelOf(maps.field(), pixels, c, maps.channels()));
      }
      rows.add(new Row("added to image", 0, null, field));
      // the field row has no native map: its first column explains what it is instead
    }
    int columns = 2 * maps.channels();
    int legend = 110;
    int width = ROW_LABEL + columns * (TILE + GAP) + legend;
    int top = 112;
    int height = top + rows.size() * (TILE + 34) + 20;
    // concat has no field: its maps are stacked with the image and mixed by a learned 1x1 convolution
    String note = maps.field() != null
        ? "Values are added to the normalised image ((x - mean) / std per channel); red adds, blue subtracts."
        : "Maps stacked with the normalised image and mixed by a learned 1x1 convolution; red positive, blue negative.";
    width = Math.max(width, Math.max(Figures.width(Figures.TITLE, title), Figures.width(Figures.LABEL, note)) + 40);
    BufferedImage image = Figures.canvas(width, height);
    Graphics2D g = Figures.graphics(image);
    Figures.heading(g, title, note);
    if (maps.gate() != null) {
      StringBuilder gates = new StringBuilder("Gate sigmoid(g) per channel:");
      for (float v : maps.gate()) {
        gates.append(String.format(Locale.ROOT, " %.3f", v));
      }
      g.drawString(gates.toString(), 20, 74);
    }
    for (int c = 0; c < maps.channels(); c++) {
      String channel = channelName(c, maps.channels());
      int x = ROW_LABEL + 2 * c * (TILE + GAP);
      Figures.centered(g, channel + ": native", Figures.HEADING, x + TILE / 2.0, top - 10);
      Figures.centered(g, channel + ": upsampled " + maps.height() + "x" + maps.width(), Figures.HEADING,
          x + TILE + GAP + TILE / 2.0, top - 10);
    }
    for (int r = 0; r < rows.size(); r++) {
      paintRow(g, rows.get(r), maps, top + r * (TILE + 34) + 8);
    }
    g.dispose();
    return image;
  }

  private static void paintRow(Graphics2D g, Row row, PromptMaps maps, int y) {
    double limit = 0;
    for (float[] values : row.upsampled()) {
      limit = Math.max(limit, maxAbs(values));
    }
    if (row.natives() != null) {
      for (float[] values : row.natives()) {
        limit = Math.max(limit, maxAbs(values));
      }
    }
    ColorScale scale = ColorScale.diverging(limit);
    Figures.rightAligned(g, row.label(), Figures.HEADING, ROW_LABEL - 14, y + TILE / 2.0);
    for (int c = 0; c < maps.channels(); c++) {
      int x = ROW_LABEL + 2 * c * (TILE + GAP);
      if (row.natives() != null) {
        paintMap(g, row.natives().get(c), row.side(), row.side(), scale, x, y, row.side() <= 16);
        if (row.side() == 1) {
          // one value fills the tile at the end of its own scale: write it, so its size is not misread
          double v = row.natives().get(c)[0];
          g.setColor(scale.textOn(v));
          Figures.centered(g, String.format(Locale.ROOT, "%+.3g", v), Figures.HEADING, x + TILE / 2.0, y + TILE / 2.0);
        }
      } else if (c == 0) {
        g.setFont(Figures.SMALL);
        g.drawString("the maps above, fused", x, y + TILE / 2 - 8);
        g.drawString("as the model fuses them:", x, y + TILE / 2 + 8);
      }
      paintMap(g, row.upsampled().get(c), maps.height(), maps.width(), scale, x + TILE + GAP, y, false);
    }
    String format = limit >= 1 ? "%+.2f" : limit >= 0.01 ? "%+.3f" : "%+.1e";
    scale.paintVertical(g, ROW_LABEL + 2 * maps.channels() * (TILE + GAP) + 4, y, 14, TILE, null, format);
  }

  /** Draws an h x w map into a TILE x TILE square, each value as a block (nearest neighbour). */
  private static void paintMap(Graphics2D g, float[] values, int h, int w, ColorScale scale, int x, int y,
      boolean gridLines) {
    for (int py = 0; py < TILE; py++) {
      int r = Math.min(h - 1, py * h / TILE);
      for (int px = 0; px < TILE; px++) {
        int c = Math.min(w - 1, px * w / TILE);
        g.setColor(scale.color(values[r * w + c]));
        g.fillRect(x + px, y + py, 1, 1);
      }
    }
    g.setColor(new java.awt.Color(0x888888));
    if (gridLines && h > 1) {
      for (int i = 1; i < h; i++) {
        g.drawLine(x, y + i * TILE / h, x + TILE, y + i * TILE / h);
      }
      for (int i = 1; i < w; i++) {
        g.drawLine(x + i * TILE / w, y, x + i * TILE / w, y + TILE);
      }
    }
    g.setColor(Figures.TEXT);
    g.drawRect(x, y, TILE, TILE);
  }

  private static String channelName(int c, int channels) {
    if (channels == 1) {
      return "grey";
    }
    if (channels == 3) {
      return new String[] {"red", "green", "blue"}[c];
    }
    return "channel " + c;
  }

  private static double maxAbs(float[] values) {
    double m = 0;
    for (float v : values) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}

package dev.vprompt.studies.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/** What every figure shares: headless AWT, fonts, text placement and writing PNGs atomically. */
public final class Figures {

  static {
    // no display on training machines: AWT must never try to open one
    System.setProperty("java.awt.headless", "true");
  }

  public static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 20);
  public static final Font HEADING = new Font(Font.SANS_SERIF, Font.BOLD, 15);
  public static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
  public static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  public static final Color TEXT = new Color(0x222222);

  private Figures() {}

  /** Loading this class sets headless mode; call before any AWT or chart code that does not draw here. */
  public static void ensureHeadless() {
    // the static initialiser did the work
  }

  /** A white canvas with anti-aliased shapes and text. */
  public static BufferedImage canvas(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.dispose();
    return image;
  }

  public static Graphics2D graphics(BufferedImage image) {
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    g.setColor(TEXT);
    g.setStroke(new BasicStroke(1f));
    return g;
  }

  /** The figure's title and, when there is one, its subtitle, at the top left where every figure has them. */
  public static void heading(Graphics2D g, String title, String subtitle) {
    g.setFont(TITLE);
    g.drawString(title, 20, 30);
    if (subtitle != null) {
      g.setFont(LABEL);
      g.drawString(subtitle, 20, 54);
    }
  }

  public static int width(Font font, String text) {
    BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = probe.createGraphics();
    int w = g.getFontMetrics(font).stringWidth(text);
    g.dispose();
    return w;
  }

  /** Draws text centred on (cx, cy). */
  public static void centered(Graphics2D g, String text, Font font, double cx, double cy) {
    g.setFont(font);
    FontMetrics m = g.getFontMetrics();
    g.drawString(text, (float) (cx - m.stringWidth(text) / 2.0), (float) (cy + (m.getAscent() - m.getDescent()) / 2.0));
  }

  /** Draws text right-aligned at x, vertically centred on cy. */
  public static void rightAligned(Graphics2D g, String text, Font font, double x, double cy) {
    g.setFont(font);
    FontMetrics m = g.getFontMetrics();
    g.drawString(text, (float) (x - m.stringWidth(text)), (float) (cy + (m.getAscent() - m.getDescent()) / 2.0));
  }

  /** Draws text rotated by {@code degrees} (negative: counter-clockwise) starting at (x, y). */
  public static void rotated(Graphics2D g, String text, Font font, double x, double y, double degrees) {
    AffineTransform saved = g.getTransform();
    g.translate(x, y);
    g.rotate(Math.toRadians(degrees));
    g.setFont(font);
    g.drawString(text, 0, 0);
    g.setTransform(saved);
  }

  /** Writes a PNG through a temporary sibling, so a reader never sees half an image. */
  public static Path writePng(BufferedImage image, Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path temp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
      try {
        if (!ImageIO.write(image, "png", temp.toFile())) {
          throw new IOException("no PNG writer");
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}

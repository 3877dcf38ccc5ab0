package dev.vprompt.core.data;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes one PNG or JPEG (or any format javax.imageio reads) safely: the declared width and height are
 * read from the header and checked against {@link DataLimits} before any pixel is decoded; the
 * decoder's warnings (a truncated JPEG decodes with grey rows and a warning) are reported, or refused
 * under {@code --strict-images}; a palette image whose colours are all grey (how ImageIO reads 1, 2 and
 * 4-bit grey PNGs) comes back as an 8-bit grey image.
 */
public final class ImageDecoding {

  private ImageDecoding() {}

  /**
   * @param warnings receives one line per damaged image decoded anyway
   * @throws InvalidDataException naming the file when it is not a readable image, too large, or damaged
   *     under --strict-images
   */
  public static BufferedImage decode(Path file, Consumer<String> warnings) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidDataException(file, Files.isDirectory(file) ? "is a directory" : "no such file");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new InvalidDataException(file, "not an image (unreadable image data; expected PNG or JPEG)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        DataLimits.requirePixels(file, reader.getWidth(0), reader.getHeight(0));
        List<String> damage = new ArrayList<>();
        reader.addIIOReadWarningListener((source, message) -> damage.add(message));
        BufferedImage image = reader.read(0);
        if (!damage.isEmpty()) {
          String what = String.join("; ", damage);
          if (DataLimits.strictImages()) {
            throw new InvalidDataException(file, "damaged image (" + what + "); refused (--strict-images)");
          }
          warnings.accept(file + ": warning: damaged image decoded anyway (" + what
              + "); --strict-images refuses such images");
        }
        return greyFromPalette(image);
      } finally {
        reader.dispose();
      }
    } catch (InvalidDataException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // decoders throw assorted runtime exceptions on corrupt input
      throw new InvalidDataException(file, "unreadable image (" + reasons(e) + ")", e);
    }
  }

  /** An image whose palette holds only greys (no alpha) as TYPE_BYTE_GRAY; any other image as it is. */
  static BufferedImage greyFromPalette(BufferedImage image) {
    if (!(image.getColorModel() instanceof IndexColorModel palette) || palette.hasAlpha()) {
      return image;
    }
    int size = palette.getMapSize();
    int[] grey = new int[size];
    for (int i = 0; i < size; i++) {
      int r = palette.getRed(i);
      if (r != palette.getGreen(i) || r != palette.getBlue(i)) {
        return image;
      }
      grey[i] = r;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster target = out.getRaster();
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRaster().getSamples(0, y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        row[x] = grey[Math.min(row[x], size - 1)];
      }
      target.setSamples(0, y, w, 1, 0, row);
    }
    return out;
  }

  /**
   * The first line of each message down the cause chain: ImageIO wraps the telling part ("Unexpected end
   * of ZLIB input stream" of a cut PNG) in a generic "Error reading PNG image data".
   */
  private static String reasons(Throwable e) {
    List<String> lines = new ArrayList<>();
    for (Throwable t = e; t != null && lines.size() < 3; t = t.getCause()) {
      String line = t.getMessage() == null ? t.getClass().getSimpleName() : firstLine(t.getMessage());
      if (lines.isEmpty() || !lines.get(lines.size() - 1).contains(line)) {
        lines.add(line);
      }
    }
    return String.join(": ", lines);
  }

  private static String firstLine(String message) {
    String text = String.valueOf(message);
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}

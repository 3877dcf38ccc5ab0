package dev.vprompt.export.serving;

import dev.vprompt.core.data.ImageDecoding;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads PNG/JPEG (and the other formats javax.imageio knows) into HWC uint8 pixels of a model's input
 * shape. An image of another size or channel count is an error naming the file, unless conversion is
 * asked for; alpha counts as a channel (grey+alpha 2, RGBA 4).
 */
public final class ImageFiles {

  private ImageFiles() {}

  /** An image's own pixels: {@code height * width * channels} bytes, HWC. */
  public record Pixels(byte[] data, int height, int width, int channels) {}

  /** @throws IllegalArgumentException naming the file when it is missing, not an image, or too large */
  public static Pixels read(Path file) {
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(file + ": is a directory; pass image files, or KIND:DIR for a dataset's "
          + "test split (e.g. fashion-mnist:DIR)");
    }
    return pixels(ImageDecoding.decode(file, System.err::println));
  }

  /**
   * The image as the model takes it.
   *
   * @param convert resize and convert the channels instead of failing on a mismatch
   */
  public static byte[] readFor(Path file, int height, int width, int channels, boolean convert) {
    Pixels p = read(file);
    if (p.height() == height && p.width() == width && p.channels() == channels) {
      return p.data();
    }
    if (!convert) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "%s: the image is %dx%dx%d (%s) but the model takes %dx%dx%d (%s); pass --resize to resize and convert it",
          file, p.height(), p.width(), p.channels(), describe(p.channels()), height, width, channels,
          describe(channels)));
    }
    byte[] converted = PixelConversion.channels(p.data(), p.height(), p.width(), p.channels(), channels);
    return PixelConversion.resize(converted, p.height(), p.width(), channels, height, width);
  }

  static String describe(int channels) {
    return switch (channels) {
      case 1 -> "grey";
      case 2 -> "grey + alpha";
      case 3 -> "RGB";
      case 4 -> "RGBA";
      default -> channels + " channels";
    };
  }

  private static Pixels pixels(BufferedImage image) {
    ColorModel model = image.getColorModel();
    boolean alpha = model.hasAlpha();
    boolean grey = model.getColorSpace().getType() == ColorSpace.TYPE_GRAY && model.getNumComponents() <= 2;
    int channels = (grey ? 1 : 3) + (alpha ? 1 : 0);
    int height = image.getHeight();
    int width = image.getWidth();
    byte[] data = new byte[height * width * channels];
    Raster raster = image.getRaster();
    int i = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        if (grey) {
          // Read grey samples as stored: Java's sRGB conversion of a grey image changes its values.
          data[i++] = (byte) to8Bits(raster.getSample(x, y, 0), model.getComponentSize(0));
          if (alpha) {
            data[i++] = (byte) to8Bits(raster.getSample(x, y, 1), model.getComponentSize(1));
          }
        } else {
          int argb = image.getRGB(x, y);
          data[i++] = (byte) (argb >> 16);
          data[i++] = (byte) (argb >> 8);
          data[i++] = (byte) argb;
          if (alpha) {
            data[i++] = (byte) (argb >>> 24);
          }
        }
      }
    }
    return new Pixels(data, height, width, channels);
  }

  private static int to8Bits(int sample, int bits) {
    return bits == 8 ? sample : bits > 8 ? sample >> (bits - 8) : sample * 255 / ((1 << bits) - 1);
  }
}

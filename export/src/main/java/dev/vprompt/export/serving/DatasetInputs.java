package dev.vprompt.export.serving;

import dev.vprompt.core.data.DataSpec;
import dev.vprompt.core.data.DatasetLoader;
import dev.vprompt.core.data.IdxReader;
import dev.vprompt.core.data.ImageSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Prediction inputs that are whole datasets rather than image files: {@code KIND:DIR} (the test split of
 * any dataset vprompt reads) or an IDX image file (labels from the sibling {@code *-labels-idx1-ubyte}
 * file when there is one). Read with the dataset readers only.
 */
public final class DatasetInputs {

  /**
   * Images of one shape, NHWC, with their labels when known.
   *
   * @param labels null when the input carries no labels
   */
  public record Batch(String source, byte[] pixels, int count, int height, int width, int channels, int[] labels) {

    public int imageSize() {
      return height * width * channels;
    }

    /**
     * The pixels in a model's input shape.
     *
     * @param convert resize and convert the channels instead of failing on a mismatch
     */
    public byte[] pixelsFor(int toHeight, int toWidth, int toChannels, boolean convert) {
      if (toHeight == height && toWidth == width && toChannels == channels) {
        return pixels;
      }
      if (!convert) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "%s: the images are %dx%dx%d but the model takes %dx%dx%d; pass --resize to resize and convert them",
            source, height, width, channels, toHeight, toWidth, toChannels));
      }
      int size = toHeight * toWidth * toChannels;
      byte[] out = new byte[Math.multiplyExact(count, size)];
      for (int i = 0; i < count; i++) {
        byte[] one = java.util.Arrays.copyOfRange(pixels, i * imageSize(), (i + 1) * imageSize());
        byte[] converted = PixelConversion.resize(PixelConversion.channels(one, height, width, channels, toChannels),
            height, width, toChannels, toHeight, toWidth);
        System.arraycopy(converted, 0, out, i * size, size);
      }
      return out;
    }
  }

  private static final int IDX_IMAGES_3D = 0x00000803;
  private static final int IDX_IMAGES_4D = 0x00000804;

  private DatasetInputs() {}

  /** The dataset {@code argument} names, or empty when it names an image file. */
  public static Optional<Batch> load(String argument) {
    if (isDataSpec(argument)) {
      ImageSet test = DatasetLoader.load(DataSpec.parse(argument)).test();
      return Optional.of(new Batch(argument + " (test split)", test.pixels(), test.count(), test.height(),
          test.width(), test.channels(), test.labels()));
    }
    Path file = Path.of(argument);
    if (Files.isRegularFile(file) && isIdxImages(file)) {
      IdxReader.Images images = IdxReader.readImages(file);
      int[] labels = labelsFile(file).map(IdxReader::readLabels).orElse(null);
      if (labels != null && labels.length != images.count()) {
        throw new IllegalArgumentException(file + ": " + images.count() + " images but " + labelsFile(file).get()
            .getFileName() + " has " + labels.length + " labels");
      }
      return Optional.of(new Batch(argument, images.pixels(), images.count(), images.height(), images.width(),
          images.channels(), labels));
    }
    return Optional.empty();
  }

  /** {@code fashion-mnist:DIR} and the like, by its known kind before the colon. */
  static boolean isDataSpec(String argument) {
    int colon = argument.indexOf(':');
    if (colon <= 0) {
      return false;
    }
    try {
      DataSpec.Kind.fromId(argument.substring(0, colon));
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether the file (raw or gzip) starts with an IDX image magic number. */
  static boolean isIdxImages(Path file) {
    try (InputStream raw = Files.newInputStream(file)) {
      byte[] head = raw.readNBytes(4);
      if (head.length == 4 && (head[0] & 0xFF) == 0x1f && (head[1] & 0xFF) == 0x8b) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
          head = in.readNBytes(4);
        } catch (IOException e) {
          return false;
        }
      }
      if (head.length < 4) {
        return false;
      }
      int magic = ((head[0] & 0xFF) << 24) | ((head[1] & 0xFF) << 16) | ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
      return magic == IDX_IMAGES_3D || magic == IDX_IMAGES_4D;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** {@code t10k-images-idx3-ubyte(.gz)} -> {@code t10k-labels-idx1-ubyte(.gz)}, when it exists. */
  static Optional<Path> labelsFile(Path images) {
    String name = images.getFileName().toString();
    String labels = name.replaceFirst("images-idx[34]-ubyte", "labels-idx1-ubyte");
    if (labels.equals(name)) {
      return Optional.empty();
    }
    for (String candidate : new String[] {labels, labels.endsWith(".gz") ? labels.substring(0, labels.length() - 3)
        : labels + ".gz"}) {
      Path path = images.resolveSibling(candidate);
      if (Files.isRegularFile(path)) {
        return Optional.of(path);
      }
    }
    return Optional.empty();
  }
}

package dev.vprompt.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads IDX files (the MNIST format), raw or gzip-compressed.
 *
 * <p>Images: magic 0x00000803 with dims N,H,W (one channel) or 0x00000804 with dims N,H,W,C.
 * Labels: magic 0x00000801 with dim N. All values are unsigned bytes, big-endian header.
 * Every problem surfaces as an {@link InvalidDataException} naming the file.
 */
public final class IdxReader {

  static final int UBYTE = 0x08;
  static final int LABELS_MAGIC = 0x00000801;
  static final int IMAGES_MAGIC_3D = 0x00000803;
  static final int IMAGES_MAGIC_4D = 0x00000804;

  /** Pixels of one IDX image file, NHWC. */
  public record Images(byte[] pixels, int count, int height, int width, int channels) {
  }

  private IdxReader() {
  }

  /** Reads an image file and its label file into one split with the given class names. */
  public static ImageSet read(Path imagesFile, Path labelsFile, List<String> classNames) {
    Images images = readImages(imagesFile);
    int[] labels = readLabels(labelsFile);
    checkCounts(imagesFile, images, labelsFile, labels);
    checkLabelRange(labelsFile, labels, classNames.size());
    return new ImageSet(images.pixels(), labels, images.height(), images.width(), images.channels(),
        classNames);
  }

  /** Reads one split; the class count is the largest label + 1, with generic names. */
  public static ImageSet read(Path imagesFile, Path labelsFile) {
    Images images = readImages(imagesFile);
    int[] labels = readLabels(labelsFile);
    checkCounts(imagesFile, images, labelsFile, labels);
    return new ImageSet(images.pixels(), labels, images.height(), images.width(), images.channels(),
        ClassNames.generic(maxLabel(labels) + 1));
  }

  public static Images readImages(Path file) {
    DataFiles.requireFile(file);
    try (InputStream in = DataFiles.open(file)) {
      int magic = readMagic(in, file);
      int[] dims;
      if (magic == IMAGES_MAGIC_3D) {
        dims = readDims(in, file, 3);
      } else if (magic == IMAGES_MAGIC_4D) {
        dims = readDims(in, file, 4);
      } else {
        throw wrongMagic(file, magic, "an IDX image file", "0x00000803 or 0x00000804");
      }
      int count = dims[0];
      int height = dims[1];
      int width = dims[2];
      int channels = dims.length == 4 ? dims[3] : 1;
      if (height == 0 || width == 0 || channels == 0) {
        throw new InvalidDataException(file, "image shape " + height + "x" + width + "x" + channels
            + " has a zero dimension");
      }
      int size = checkedSize(file, dims);
      DataLimits.requireBytes(file, size, "the header (" + count + " images of " + height + "x" + width + "x"
          + channels + ")");
      byte[] pixels = readBody(in, file, size, "pixel bytes");
      return new Images(pixels, count, height, width, channels);
    } catch (IOException e) {
      throw DataFiles.failure(file, e);
    }
  }

  public static int[] readLabels(Path file) {
    DataFiles.requireFile(file);
    try (InputStream in = DataFiles.open(file)) {
      int magic = readMagic(in, file);
      if (magic != LABELS_MAGIC) {
        throw wrongMagic(file, magic, "an IDX label file", "0x00000801");
      }
      int count = readDims(in, file, 1)[0];
      int size = checkedSize(file, new int[] {count});
      DataLimits.requireBytes(file, size, "the header (" + count + " labels)");
      byte[] raw = readBody(in, file, size, "label bytes");
      int[] labels = new int[count];
      for (int i = 0; i < count; i++) {
        labels[i] = raw[i] & 0xFF;
      }
      return labels;
    } catch (IOException e) {
      throw DataFiles.failure(file, e);
    }
  }

  private static void checkCounts(Path imagesFile, Images images, Path labelsFile, int[] labels) {
    if (labels.length != images.count()) {
      throw new InvalidDataException(labelsFile, "has " + labels.length + " labels but "
          + imagesFile.getFileName() + " has " + images.count() + " images");
    }
  }

  /** The largest label, or -1 for none. */
  static int maxLabel(int[] labels) {
    int max = -1;
    for (int label : labels) {
      max = Math.max(max, label);
    }
    return max;
  }

  static void checkLabelRange(Path labelsFile, int[] labels, int numClasses) {
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] >= numClasses) {
        throw new InvalidDataException(labelsFile, "label " + labels[i] + " at index " + i
            + " is outside the " + numClasses + " classes [0, " + (numClasses - 1) + "]");
      }
    }
  }

  private static int readMagic(InputStream in, Path file) throws IOException {
    byte[] header = new byte[4];
    int n = DataFiles.readFully(in, header, 0, 4);
    if (n < 4) {
      throw new InvalidDataException(file, "truncated: " + n + " bytes, too short for an IDX header");
    }
    return toInt(header, 0);
  }

  private static int[] readDims(InputStream in, Path file, int ndims) throws IOException {
    byte[] raw = new byte[4 * ndims];
    int n = DataFiles.readFully(in, raw, 0, raw.length);
    if (n < raw.length) {
      throw new InvalidDataException(file, "truncated: header ends inside the " + ndims
          + " dimension sizes");
    }
    int[] dims = new int[ndims];
    for (int d = 0; d < ndims; d++) {
      dims[d] = toInt(raw, 4 * d);
      if (dims[d] < 0) {
        // sizes are unsigned 32-bit; anything this large cannot fit in memory anyway
        throw new InvalidDataException(file, "dimension " + d + " is too large ("
            + Integer.toUnsignedString(dims[d]) + ")");
      }
    }
    return dims;
  }

  private static byte[] readBody(InputStream in, Path file, int expected, String what) throws IOException {
    byte[] body = DataFiles.readUpTo(in, expected);
    if (body.length < expected) {
      throw new InvalidDataException(file, "truncated: expected " + expected + " " + what
          + ", found " + body.length);
    }
    long extra = DataFiles.remaining(in, DataFiles.MAX_EXTRA);
    if (extra > DataFiles.MAX_EXTRA) {
      throw new InvalidDataException(file, "more than " + DataFiles.MAX_EXTRA + " unexpected extra bytes after the "
          + expected + " " + what + " its header declares");
    }
    if (extra > 0) {
      throw new InvalidDataException(file, extra + " unexpected extra bytes after the "
          + expected + " " + what);
    }
    return body;
  }

  /** The product of the dimensions as an array size, or an error if no array can hold it. */
  private static int checkedSize(Path file, int[] dims) {
    long size = 1;
    for (int d : dims) {
      size *= d;
      // leave headroom below Integer.MAX_VALUE: JVMs refuse arrays right at the limit
      if (size > Integer.MAX_VALUE - 16) {
        throw new InvalidDataException(file, "too large to load: dimensions "
            + Arrays.toString(dims) + " exceed " + (Integer.MAX_VALUE - 16) + " bytes");
      }
    }
    return (int) size;
  }

  private static InvalidDataException wrongMagic(Path file, int magic, String expected, String magics) {
    String hint = "";
    if (magic == LABELS_MAGIC) {
      hint = " (this is an IDX label file)";
    } else if (magic == IMAGES_MAGIC_3D || magic == IMAGES_MAGIC_4D) {
      hint = " (this is an IDX image file)";
    } else if ((magic >>> 16) == 0 && ((magic >>> 8) & 0xFF) != UBYTE) {
      hint = " (IDX element type 0x" + String.format("%02x", (magic >>> 8) & 0xFF)
          + " is not unsigned byte)";
    }
    return new InvalidDataException(file, "not " + expected + ": magic number "
        + String.format("0x%08x", magic) + ", expected " + magics + hint);
  }

  private static int toInt(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
  }
}

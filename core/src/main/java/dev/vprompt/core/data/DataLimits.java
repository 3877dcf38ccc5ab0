package dev.vprompt.core.data;

import java.nio.file.Path;
import java.util.Locale;

/**
 * How much a dataset file or an image may claim before it is read. Sizes are checked against what the
 * file declares (an IDX header, a tar entry, an image's width and height) before anything is inflated
 * or decoded, so that a small compressed file that expands to gigabytes is refused with one line
 * instead of exhausting the heap.
 */
public final class DataLimits {

  /** Pixels of one image when not set: 8192 x 8192 (far beyond any dataset image vprompt trains on). */
  public static final long DEFAULT_MAX_PIXELS = 8192L * 8192;

  private static volatile long maxBytes;
  private static volatile long maxPixels = DEFAULT_MAX_PIXELS;
  private static volatile boolean strictImages;

  private DataLimits() {}

  /**
   * Sets the limits of this process's commands.
   *
   * @param bytes bytes one dataset file may hold once inflated; 0 for a quarter of the heap
   * @param pixels pixels one image may have; 0 for {@link #DEFAULT_MAX_PIXELS}
   * @param strict refuse damaged (truncated) images instead of warning about them
   */
  public static void set(long bytes, long pixels, boolean strict) {
    if (bytes < 0 || pixels < 0) {
      throw new IllegalArgumentException("--max-bytes and --max-pixels must be positive (0: the default)");
    }
    maxBytes = bytes;
    maxPixels = pixels == 0 ? DEFAULT_MAX_PIXELS : pixels;
    strictImages = strict;
  }

  public static boolean strictImages() {
    return strictImages;
  }

  /** The byte limit in force: --max-bytes, or a quarter of the heap (the data is copied while loading). */
  public static long maxBytes() {
    long set = maxBytes;
    return set > 0 ? set : Runtime.getRuntime().maxMemory() / 4;
  }

  /** @throws InvalidDataException naming the file, the claimed size and the limit */
  public static void requireBytes(Path file, long claimed, String what) {
    long limit = maxBytes();
    if (claimed > limit) {
      String source = maxBytes > 0 ? "--max-bytes" : String.format(Locale.ROOT,
          "a quarter of the %s heap; raise it with --max-bytes and VPROMPT_JAVA_OPTS=-Xmx...", size(
              Runtime.getRuntime().maxMemory()));
      throw new InvalidDataException(file, String.format(Locale.ROOT,
          "%s claims %,d bytes, more than the limit of %,d (%s); refused before reading it", what, claimed, limit,
          source));
    }
  }

  /** @throws InvalidDataException naming the file, the declared size and the limit */
  public static void requirePixels(Path file, long width, long height) {
    long limit = maxPixels;
    if (width * height > limit) {
      throw new InvalidDataException(file, String.format(Locale.ROOT,
          "declares %d x %d pixels (%,d), more than the limit of %,d per image (--max-pixels); refused before "
              + "decoding it", width, height, width * height, limit));
    }
  }

  static String size(long bytes) {
    double gib = bytes / (double) (1L << 30);
    return gib >= 1 ? String.format(Locale.ROOT, "%.1f GiB", gib)
        : String.format(Locale.ROOT, "%.0f MiB", bytes / (double) (1L << 20));
  }
}

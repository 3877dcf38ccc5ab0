package dev.vprompt.core.data;

import java.util.Arrays;
import java.util.List;

/**
 * One split of an image classification dataset: uint8 pixels in NHWC order plus one label per
 * image.
 *
 * <p>The arrays are shared, not copied, so that 60,000 images cost one allocation; callers must
 * treat them as read-only.
 */
public final class ImageSet {

  private final byte[] pixels;
  private final int[] labels;
  private final int count;
  private final PixelShape shape;
  private final List<String> classNames;

  /**
   * @param pixels     N*H*W*C bytes, NHWC, values read as unsigned 0..255
   * @param labels     N labels, each in [0, classNames.size())
   * @param classNames at least one name; index = label
   * @throws IllegalArgumentException if the sizes disagree or a label is out of range
   */
  public ImageSet(byte[] pixels, int[] labels, int height, int width, int channels, List<String> classNames) {
    if (pixels == null || labels == null || classNames == null) {
      throw new IllegalArgumentException("pixels, labels and classNames must not be null");
    }
    PixelShape shape = new PixelShape(height, width, channels);
    if (classNames.isEmpty()) {
      throw new IllegalArgumentException("at least one class name is required");
    }
    shape.requireBatch(pixels.length, labels.length);
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classNames.size()) {
        throw new IllegalArgumentException("label " + labels[i] + " of image " + i
            + " is outside [0, " + classNames.size() + ")");
      }
    }
    this.pixels = pixels;
    this.labels = labels;
    this.count = labels.length;
    this.shape = shape;
    this.classNames = List.copyOf(classNames);
  }

  /** All pixels, NHWC; shared with this set, do not modify. */
  public byte[] pixels() {
    return pixels;
  }

  /** All labels; shared with this set, do not modify. */
  public int[] labels() {
    return labels;
  }

  public int count() {
    return count;
  }

  public int height() {
    return shape.height();
  }

  public int width() {
    return shape.width();
  }

  public int channels() {
    return shape.channels();
  }

  public PixelShape pixelShape() {
    return shape;
  }

  public List<String> classNames() {
    return classNames;
  }

  public int numClasses() {
    return classNames.size();
  }

  /** Bytes per image: H*W*C. */
  public int imageSize() {
    return shape.imageSize();
  }

  public int label(int i) {
    return labels[checkIndex(i)];
  }

  /** A copy of image {@code i}'s H*W*C bytes. */
  public byte[] imageBytes(int i) {
    int size = imageSize();
    int from = checkIndex(i) * size;
    return Arrays.copyOfRange(pixels, from, from + size);
  }

  /** Unsigned value 0..255 of one pixel channel. */
  public int pixel(int i, int y, int x, int c) {
    if (y < 0 || y >= height() || x < 0 || x >= width() || c < 0 || c >= channels()) {
      throw new IndexOutOfBoundsException("pixel (" + y + ", " + x + ", " + c + ") outside "
          + shape());
    }
    return pixels[checkIndex(i) * imageSize() + (y * width() + x) * channels() + c] & 0xFF;
  }

  /** Number of images per class, indexed by label. */
  public int[] classCounts() {
    int[] counts = new int[numClasses()];
    for (int label : labels) {
      counts[label]++;
    }
    return counts;
  }

  /** A new set holding copies of the given images, in the given order (repeats allowed). */
  public ImageSet subset(int[] indices) {
    int size = imageSize();
    byte[] outPixels = new byte[Math.multiplyExact(indices.length, size)];
    int[] outLabels = new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      int i = checkIndex(indices[k]);
      System.arraycopy(pixels, i * size, outPixels, k * size, size);
      outLabels[k] = labels[i];
    }
    return new ImageSet(outPixels, outLabels, height(), width(), channels(), classNames);
  }

  /** The same images and labels under other class names (same or larger count). */
  public ImageSet withClassNames(List<String> names) {
    return new ImageSet(pixels, labels, height(), width(), channels(), names);
  }

  /** "HxWxC", e.g. "28x28x1". */
  public String shape() {
    return shape.toString();
  }

  @Override
  public String toString() {
    return "ImageSet[" + count + " images, " + shape() + ", " + numClasses() + " classes]";
  }

  private int checkIndex(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException("image index " + i + " outside [0, " + count + ")");
    }
    return i;
  }
}

package dev.vprompt.core.data;

/**
 * The shape {@code H x W x C} of uint8 NHWC images, and the size of a batch of them: what a dataset split
 * holds and what an exported model's {@code images} input takes.
 */
public record PixelShape(int height, int width, int channels) {

  public PixelShape {
    if (height <= 0 || width <= 0 || channels <= 0) {
      throw new IllegalArgumentException(
          "image shape must be positive, got " + height + "x" + width + "x" + channels);
    }
  }

  /** Bytes per image: H*W*C. */
  public int imageSize() {
    return height * width * channels;
  }

  /** @throws IllegalArgumentException unless {@code bytes} is exactly {@code count} images of this shape */
  public void requireBatch(long bytes, int count) {
    long expected = (long) count * height * width * channels;
    if (count < 0 || bytes != expected) {
      throw new IllegalArgumentException("expected " + expected + " pixel bytes for " + count + " images of " + this
          + ", got " + bytes);
    }
  }

  /** "HxWxC", e.g. "28x28x1". */
  @Override
  public String toString() {
    return height + "x" + width + "x" + channels;
  }
}

package dev.vprompt.core.data;

import static dev.vprompt.core.data.DataAssertions.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {

  @TempDir
  Path dir;

  /** A grey image whose pixel (x, y) is {@code base + 10*y + x}. */
  private static BufferedImage grey(int width, int height, int base) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.getRaster().setSample(x, y, 0, base + 10 * y + x);
      }
    }
    return image;
  }

  /** An RGB image whose pixel (x, y) is (base + x, base + y, 200). */
  private static BufferedImage rgb(int width, int height, int base) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, ((base + x) << 16) | ((base + y) << 8) | 200);
      }
    }
    return image;
  }

  private static BufferedImage uniformRgb(int width, int height, int r, int g, int b) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return image;
  }

  private static Path save(BufferedImage image, String format, Path file) {
    try {
      Files.createDirectories(file.getParent());
      if (!ImageIO.write(image, format, file.toFile())) {
        throw new IllegalStateException("no " + format + " writer");
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void readsGreyPngsWithClassesSortedByName() {
    save(grey(3, 2, 0), "png", dir.resolve("train/zebra/a.png"));
    save(grey(3, 2, 100), "png", dir.resolve("train/ant/b.png"));
    save(grey(3, 2, 50), "png", dir.resolve("train/ant/a.PNG"));
    save(grey(3, 2, 7), "png", dir.resolve("test/ant/x.png"));
    save(grey(3, 2, 9), "png", dir.resolve("test/zebra/y.png"));
    Fixtures.writeText(dir.resolve("train/ant/notes.txt"), "not an image");

    DatasetSplits splits = ImageFolderReader.read(dir);
    assertEquals(dir.getFileName().toString(), splits.name());
    assertEquals(List.of("ant", "zebra"), splits.classNames());
    ImageSet train = splits.train();
    assertEquals("2x3x1", train.shape());
    // files within a class in name order: a.PNG (base 50) before b.png (base 100)
    assertArrayEquals(new int[] {0, 0, 1}, train.labels());
    assertEquals(50 + 10 + 2, train.pixel(0, 1, 2, 0));
    assertEquals(100, train.pixel(1, 0, 0, 0));
    assertEquals(0 + 10 + 1, train.pixel(2, 1, 1, 0));
    assertArrayEquals(new int[] {0, 1}, splits.test().labels());
    assertEquals(9 + 12, splits.test().pixel(1, 1, 2, 0));
  }

  @Test
  void readsRgbPngsExactlyAndJpegsApproximately() {
    save(rgb(4, 3, 10), "png", dir.resolve("train/cat/1.png"));
    save(uniformRgb(4, 3, 200, 40, 90), "jpg", dir.resolve("train/dog/1.jpg"));
    save(uniformRgb(4, 3, 20, 220, 130), "jpeg", dir.resolve("test/cat/1.jpeg"));
    save(rgb(4, 3, 60), "png", dir.resolve("test/dog/1.png"));

    DatasetSplits splits = ImageFolderReader.read(dir);
    ImageSet train = splits.train();
    assertEquals("3x4x3", train.shape());
    assertEquals(10 + 3, train.pixel(0, 2, 3, 0));
    assertEquals(10 + 2, train.pixel(0, 2, 3, 1));
    assertEquals(200, train.pixel(0, 2, 3, 2));
    assertNear(new int[] {200, 40, 90}, train, 1, 1, 2);
    assertNear(new int[] {20, 220, 130}, splits.test(), 0, 0, 0);
    assertEquals(60 + 1, splits.test().pixel(1, 0, 1, 0));
  }

  @Test
  void readsGreyJpegsAsOneChannel() {
    BufferedImage flat = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        flat.getRaster().setSample(x, y, 0, 120);
      }
    }
    save(flat, "jpg", dir.resolve("train/a/1.jpg"));
    save(flat, "jpg", dir.resolve("test/a/1.jpg"));
    ImageSet train = ImageFolderReader.read(dir).train();
    assertEquals("8x8x1", train.shape());
    assertTrue(Math.abs(train.pixel(0, 4, 4, 0) - 120) <= 2, "grey JPEG value " + train.pixel(0, 4, 4, 0));
  }

  private static void assertNear(int[] expected, ImageSet set, int image, int y, int x) {
    for (int c = 0; c < 3; c++) {
      int actual = set.pixel(image, y, x, c);
      // JPEG is lossy, but a flat colour block survives to within a few levels
      assertTrue(Math.abs(actual - expected[c]) <= 4, "channel " + c + ": " + actual + " vs " + expected[c]);
    }
  }

  @Test
  void rejectsAnImageOfAnotherSize() {
    Path first = save(grey(3, 2, 0), "png", dir.resolve("train/a/1.png"));
    Path odd = save(grey(4, 2, 0), "png", dir.resolve("train/a/2.png"));
    save(grey(3, 2, 0), "png", dir.resolve("test/a/1.png"));
    assertInvalid(odd, () -> ImageFolderReader.read(dir), "image is 4x2 (WxH) but " + first + " is 3x2");
  }

  @Test
  void rejectsATestImageOfAnotherSizeThanTrain() {
    save(grey(3, 2, 0), "png", dir.resolve("train/a/1.png"));
    Path odd = save(grey(5, 5, 0), "png", dir.resolve("test/a/1.png"));
    assertInvalid(odd, () -> ImageFolderReader.read(dir), "image is 5x5 (WxH)", "3x2");
  }

  @Test
  void rejectsMixingGreyAndColour() {
    save(grey(3, 2, 0), "png", dir.resolve("train/a/1.png"));
    Path colour = save(rgb(3, 2, 0), "png", dir.resolve("train/b/1.png"));
    save(grey(3, 2, 0), "png", dir.resolve("test/a/1.png"));
    save(grey(3, 2, 0), "png", dir.resolve("test/b/1.png"));
    assertInvalid(colour, () -> ImageFolderReader.read(dir),
        "colour (3 channel) image in a data set of grey (1 channel) images");
  }

  @Test
  void rejectsAnEmptyClassFolder() throws IOException {
    save(grey(3, 2, 0), "png", dir.resolve("train/a/1.png"));
    Files.createDirectories(dir.resolve("train/b"));
    Fixtures.writeText(dir.resolve("train/b/readme.txt"), "no images here");
    save(grey(3, 2, 0), "png", dir.resolve("test/a/1.png"));
    save(grey(3, 2, 0), "png", dir.resolve("test/b/1.png"));
    assertInvalid(dir.resolve("train/b"), () -> ImageFolderReader.read(dir), "empty class folder");
  }

  @Test
  void rejectsAnUnreadableImage() {
    save(grey(3, 2, 0), "png", dir.resolve("train/a/1.png"));
    Path broken = Fixtures.write(dir.resolve("train/a/2.png"), "this is not a png".getBytes());
    save(grey(3, 2, 0), "png", dir.resolve("test/a/1.png"));
    assertInvalid(broken, () -> ImageFolderReader.read(dir), "unreadable image");
  }

  @Test
  void rejectsATruncatedPng() throws IOException {
    Path good = save(grey(30, 20, 0), "png", dir.resolve("train/a/1.png"));
    byte[] bytes = Files.readAllBytes(good);
    Path cut = Fixtures.write(dir.resolve("train/a/2.png"), Arrays.copyOf(bytes, bytes.length / 2));
    save(grey(30, 20, 0), "png", dir.resolve("test/a/1.png"));
    assertInvalid(cut, () -> ImageFolderReader.read(dir), "unreadable image");
  }

  @Test
  void rejectsMissingSplitFolders() throws IOException {
    Files.createDirectories(dir.resolve("test/a"));
    assertInvalid(dir.resolve("train"), () -> ImageFolderReader.read(dir), "missing train/ folder");
    save(grey(3, 2, 0), "png", dir.resolve("train/a/1.png"));
    Files.delete(dir.resolve("test/a"));
    Files.delete(dir.resolve("test"));
    assertInvalid(dir.resolve("test"), () -> ImageFolderReader.read(dir), "missing test/ folder");
  }

  @Test
  void rejectsDifferentClassesInTest() {
    save(grey(3, 2, 0), "png", dir.resolve("train/a/1.png"));
    save(grey(3, 2, 0), "png", dir.resolve("train/b/1.png"));
    save(grey(3, 2, 0), "png", dir.resolve("test/a/1.png"));
    save(grey(3, 2, 0), "png", dir.resolve("test/c/1.png"));
    assertInvalid(dir.resolve("test"), () -> ImageFolderReader.read(dir),
        "class folders [a, c] differ from train/ [a, b]");
  }

  @Test
  void rejectsAMissingDirectory() {
    Path missing = dir.resolve("nowhere");
    assertInvalid(missing, () -> ImageFolderReader.read(missing), "directory not found");
  }
}

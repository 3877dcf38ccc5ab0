package dev.vprompt.core.data;

import static dev.vprompt.core.data.DataAssertions.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

  @TempDir
  Path dir;

  private final byte[] pixels = Fixtures.ramp(3 * 4 * 5, 7);
  private final byte[] images3d = Fixtures.idx3(3, 4, 5, pixels);
  private final byte[] labels = Fixtures.idxLabels(2, 0, 1);

  @Test
  void readsRawThreeDimensionalImagesAsOneChannel() {
    IdxReader.Images images = IdxReader.readImages(Fixtures.write(dir.resolve("images"), images3d));
    assertEquals(3, images.count());
    assertEquals(4, images.height());
    assertEquals(5, images.width());
    assertEquals(1, images.channels());
    assertArrayEquals(pixels, images.pixels());
  }

  @Test
  void readsGzipImagesAndLabels() {
    Path imagesFile = Fixtures.write(dir.resolve("images.gz"), Fixtures.gzip(images3d));
    Path labelsFile = Fixtures.write(dir.resolve("labels.gz"), Fixtures.gzip(labels));
    ImageSet set = IdxReader.read(imagesFile, labelsFile, List.of("a", "b", "c"));
    assertArrayEquals(pixels, set.pixels());
    assertArrayEquals(new int[] {2, 0, 1}, set.labels());
    assertEquals("4x5x1", set.shape());
  }

  @Test
  void detectsGzipByContentNotByName() {
    Path gzipWithoutSuffix = Fixtures.write(dir.resolve("images"), Fixtures.gzip(images3d));
    Path rawWithGzSuffix = Fixtures.write(dir.resolve("labels.gz"), labels);
    ImageSet set = IdxReader.read(gzipWithoutSuffix, rawWithGzSuffix, List.of("a", "b", "c"));
    assertArrayEquals(pixels, set.pixels());
    assertArrayEquals(new int[] {2, 0, 1}, set.labels());
  }

  @Test
  void readsFourDimensionalImagesWithChannelsLast() {
    byte[] rgb = Fixtures.ramp(2 * 3 * 2 * 3, 0);
    Path imagesFile = Fixtures.write(dir.resolve("rgb.gz"), Fixtures.gzip(Fixtures.idx4(2, 3, 2, 3, rgb)));
    Path labelsFile = Fixtures.write(dir.resolve("labels"), Fixtures.idxLabels(1, 1));
    ImageSet set = IdxReader.read(imagesFile, labelsFile);
    assertEquals("3x2x3", set.shape());
    // image 1, y 2, x 1, channel 0 -> 18 + (2*2 + 1)*3 = 33
    assertEquals(33, set.pixel(1, 2, 1, 0));
    assertEquals(List.of("class_0", "class_1"), set.classNames());
  }

  @Test
  void classCountIsLargestLabelPlusOneWithoutNames() {
    Path imagesFile = Fixtures.write(dir.resolve("images"), images3d);
    Path labelsFile = Fixtures.write(dir.resolve("labels"), Fixtures.idxLabels(0, 6, 3));
    assertEquals(7, IdxReader.read(imagesFile, labelsFile).numClasses());
  }

  @Test
  void roundTripsThroughTheWriter() throws IOException {
    ImageSet rgb = new ImageSet(Fixtures.ramp(2 * 3 * 2 * 3, 5), new int[] {1, 0}, 3, 2, 3, List.of("x", "y"));
    Path imagesFile = dir.resolve("i.gz");
    Path labelsFile = dir.resolve("l");
    IdxWriter.writeImages(imagesFile, rgb);
    IdxWriter.writeLabels(labelsFile, rgb);
    ImageSet back = IdxReader.read(imagesFile, labelsFile, rgb.classNames());
    assertArrayEquals(rgb.pixels(), back.pixels());
    assertArrayEquals(rgb.labels(), back.labels());
    assertEquals(rgb.shape(), back.shape());
  }

  @Test
  void rejectsALabelFileGivenAsImages() {
    Path file = Fixtures.write(dir.resolve("train-labels-idx1-ubyte"), labels);
    assertInvalid(file, () -> IdxReader.readImages(file),
        "not an IDX image file", "magic number 0x00000801", "this is an IDX label file");
  }

  @Test
  void rejectsAnImageFileGivenAsLabels() {
    Path file = Fixtures.write(dir.resolve("images.gz"), Fixtures.gzip(images3d));
    assertInvalid(file, () -> IdxReader.readLabels(file),
        "not an IDX label file", "magic number 0x00000803", "expected 0x00000801");
  }

  @Test
  void rejectsNonByteElementType() {
    byte[] floats = Fixtures.idx(0x00000D03, new int[] {1, 1, 1}, new byte[4]);
    Path file = Fixtures.write(dir.resolve("floats"), floats);
    assertInvalid(file, () -> IdxReader.readImages(file), "magic number 0x00000d03", "not unsigned byte");
  }

  @Test
  void rejectsTruncatedPixels() {
    byte[] cut = Arrays.copyOf(images3d, images3d.length - 10);
    Path raw = Fixtures.write(dir.resolve("cut"), cut);
    assertInvalid(raw, () -> IdxReader.readImages(raw), "truncated: expected 60 pixel bytes, found 50");
    Path gz = Fixtures.write(dir.resolve("cut.gz"), Fixtures.gzip(cut));
    assertInvalid(gz, () -> IdxReader.readImages(gz), "truncated: expected 60 pixel bytes, found 50");
  }

  @Test
  void rejectsTruncatedHeader() {
    Path magicOnly = Fixtures.write(dir.resolve("short"), Arrays.copyOf(images3d, 2));
    assertInvalid(magicOnly, () -> IdxReader.readImages(magicOnly), "truncated", "too short for an IDX header");
    Path halfDims = Fixtures.write(dir.resolve("dims"), Arrays.copyOf(images3d, 10));
    assertInvalid(halfDims, () -> IdxReader.readImages(halfDims), "truncated", "dimension sizes");
  }

  @Test
  void rejectsTrailingBytes() {
    Path file = Fixtures.write(dir.resolve("long.gz"), Fixtures.gzip(Fixtures.concat(labels, new byte[5])));
    assertInvalid(file, () -> IdxReader.readLabels(file), "5 unexpected extra bytes after the 3 label bytes");
  }

  @Test
  void rejectsLabelCountDifferentFromImageCount() {
    Path imagesFile = Fixtures.write(dir.resolve("images"), images3d);
    Path labelsFile = Fixtures.write(dir.resolve("labels"), Fixtures.idxLabels(0, 1));
    assertInvalid(labelsFile, () -> IdxReader.read(imagesFile, labelsFile, List.of("a", "b")),
        "has 2 labels but images has 3 images");
  }

  @Test
  void rejectsLabelsOutsideTheNamedClasses() {
    Path imagesFile = Fixtures.write(dir.resolve("images"), images3d);
    Path labelsFile = Fixtures.write(dir.resolve("labels"), labels);
    assertInvalid(labelsFile, () -> IdxReader.read(imagesFile, labelsFile, List.of("a", "b")),
        "label 2 at index 0 is outside the 2 classes");
  }

  @Test
  void rejectsCorruptGzip() {
    byte[] gz = Fixtures.gzip(images3d);
    // damage the deflate stream or its CRC: either way the file must not load
    for (int i = 12; i < gz.length; i++) {
      byte[] bad = gz.clone();
      bad[i] ^= 0x55;
      Path file = Fixtures.write(dir.resolve("bad" + i + ".gz"), bad);
      assertInvalid(file, () -> IdxReader.readImages(file));
    }
    Path flipped = dir.resolve("bad" + (gz.length - 6) + ".gz");
    assertInvalid(flipped, () -> IdxReader.readImages(flipped), "corrupt gzip data");
  }

  @Test
  void rejectsTruncatedGzip() {
    byte[] gz = Fixtures.gzip(Fixtures.idx3(50, 10, 10, Fixtures.ramp(5000, 3)));
    Path file = Fixtures.write(dir.resolve("half.gz"), Arrays.copyOf(gz, gz.length / 2));
    assertInvalid(file, () -> IdxReader.readImages(file), "truncated gzip data");
  }

  @Test
  void rejectsMissingFileAndDirectory() {
    Path missing = dir.resolve("nope.gz");
    assertInvalid(missing, () -> IdxReader.readImages(missing), "not found");
    assertInvalid(dir, () -> IdxReader.readLabels(dir), "not a regular file");
  }
}

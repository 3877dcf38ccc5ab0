package dev.vprompt.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decompression bombs and malformed images, built here at run time: each is refused (or read right) with
 * one message naming the file, before anything large is allocated.
 */
class HostileImagesTest {

  @TempDir Path dir;

  @AfterEach
  void defaults() {
    DataLimits.set(0, 0, false);
  }

  /** A real PNG chunk stream: IHDR declaring {@code width x height} grey pixels, then {@code rows} rows of zeros. */
  static byte[] png(int width, int height, int bitDepth, int rows) throws IOException {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream header = new DataOutputStream(ihdr);
    header.writeInt(width);
    header.writeInt(height);
    header.write(new byte[] {(byte) bitDepth, 0, 0, 0, 0});
    chunk(file, "IHDR", ihdr.toByteArray());
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9))) {
      byte[] row = new byte[1 + (width * bitDepth + 7) / 8];
      for (int r = 0; r < rows; r++) {
        z.write(row);
      }
    }
    chunk(file, "IDAT", idat.toByteArray());
    chunk(file, "IEND", new byte[0]);
    return file.toByteArray();
  }

  private static void chunk(OutputStream out, String type, byte[] data) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(data.length);
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    d.write(name);
    d.write(data);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    d.writeInt((int) crc.getValue());
  }

  @Test
  void aPngDeclaring40000By40000PixelsIsRefusedBeforeDecoding() throws Exception {
    Path bomb = dir.resolve("bomb.png");
    Files.write(bomb, png(40000, 40000, 8, 64)); // 1.6 billion pixels declared; ImageIO would allocate them all
    InvalidDataException e = assertThrows(InvalidDataException.class, () -> ImageDecoding.decode(bomb, w -> {}));
    assertTrue(e.getMessage().startsWith(bomb + ": declares 40000 x 40000 pixels (1,600,000,000), more than the "
        + "limit of 67,108,864 per image"), e.getMessage());

    Path folder = dir.resolve("folder");
    Files.createDirectories(folder.resolve("train/a"));
    Files.createDirectories(folder.resolve("test/a"));
    Files.copy(bomb, folder.resolve("train/a/bomb.png"));
    InvalidDataException inFolder = assertThrows(InvalidDataException.class, () -> ImageFolderReader.read(folder));
    assertTrue(inFolder.getMessage().contains("bomb.png: declares 40000 x 40000"), inFolder.getMessage());
  }

  @Test
  void aJpegWhoseFrameHeaderDeclaresHugeDimensionsIsRefusedBeforeDecoding() throws Exception {
    BufferedImage small = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
    Path jpeg = dir.resolve("huge.jpg");
    ImageIO.write(small, "jpg", jpeg.toFile());
    byte[] bytes = Files.readAllBytes(jpeg);
    int sof = indexOf(bytes, new byte[] {(byte) 0xFF, (byte) 0xC0});
    bytes[sof + 5] = (byte) 0xFD; // height 0xFDE8 = 65000
    bytes[sof + 6] = (byte) 0xE8;
    bytes[sof + 7] = (byte) 0xFD; // width 65000
    bytes[sof + 8] = (byte) 0xE8;
    Files.write(jpeg, bytes);
    InvalidDataException e = assertThrows(InvalidDataException.class, () -> ImageDecoding.decode(jpeg, w -> {}));
    assertTrue(e.getMessage().contains("declares 65000 x 65000 pixels"), e.getMessage());
  }

  @Test
  void anIdxFileWhoseHeaderClaimsMoreThanTheLimitIsRefusedBeforeInflating() throws Exception {
    DataLimits.set(1 << 20, 0, false);
    Path images = dir.resolve("bomb-images-idx3-ubyte.gz");
    try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(images)))) {
      out.writeInt(IdxReader.IMAGES_MAGIC_3D);
      out.writeInt(2000);
      out.writeInt(28);
      out.writeInt(28);
      out.write(new byte[2000 * 28 * 28]); // really inflates to what it claims: 1.5 MB
    }
    InvalidDataException e = assertThrows(InvalidDataException.class, () -> IdxReader.readImages(images));
    assertEquals(images + ": the header (2000 images of 28x28x1) claims 1,568,000 bytes, more than the limit of "
        + "1,048,576 (--max-bytes); refused before reading it", e.getMessage());
  }

  @Test
  void anIdxFileThatInflatesFarBeyondItsHeaderStopsAtTheFirstSurplusMegabytes() throws Exception {
    Path images = dir.resolve("small-claim-idx3-ubyte.gz");
    try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(images)))) {
      out.writeInt(IdxReader.IMAGES_MAGIC_3D);
      out.writeInt(1);
      out.writeInt(28);
      out.writeInt(28);
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 40; i++) {
        out.write(zeros); // 40 MB of surplus behind a one-image header
      }
    }
    InvalidDataException e = assertThrows(InvalidDataException.class, () -> IdxReader.readImages(images));
    assertTrue(e.getMessage().contains("more than 16777216 unexpected extra bytes after the 784 pixel bytes"),
        e.getMessage());
  }

  @Test
  void aOneBitGreyPngIsReadAsGrey() throws Exception {
    BufferedImage binary = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_BINARY);
    binary.getRaster().setSample(3, 2, 0, 1);
    Path folder = dir.resolve("binary");
    for (String split : List.of("train", "test")) {
      Files.createDirectories(folder.resolve(split + "/a"));
      ImageIO.write(binary, "png", folder.resolve(split + "/a/one.png").toFile());
    }
    BufferedImage read = ImageDecoding.decode(folder.resolve("train/a/one.png"), w -> {});
    assertEquals(BufferedImage.TYPE_BYTE_GRAY, read.getType());
    ImageSet train = ImageFolderReader.read(folder).train();
    assertEquals(1, train.channels(), "1-bit grey is grey, not RGB");
    byte[] expected = new byte[64];
    expected[2 * 8 + 3] = (byte) 255;
    assertEquals(Arrays.toString(expected), Arrays.toString(Arrays.copyOf(train.pixels(), 64)));
  }

  @Test
  void aTruncatedJpegIsDecodedWithAWarningOrRefusedWithStrictImages() throws Exception {
    BufferedImage picture = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        picture.setRGB(x, y, (x * 4) << 16 | (y * 4) << 8 | (x + y) * 2);
      }
    }
    Path jpeg = dir.resolve("cut.jpg");
    ImageIO.write(picture, "jpg", jpeg.toFile());
    byte[] whole = Files.readAllBytes(jpeg);
    Files.write(jpeg, Arrays.copyOf(whole, whole.length - 40));
    List<String> warnings = new ArrayList<>();
    ImageDecoding.decode(jpeg, warnings::add);
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith(jpeg + ": warning: damaged image decoded anyway"), warnings.get(0));

    DataLimits.set(0, 0, true);
    InvalidDataException e = assertThrows(InvalidDataException.class, () -> ImageDecoding.decode(jpeg, w -> {}));
    assertTrue(e.getMessage().startsWith(jpeg + ": damaged image (") && e.getMessage().endsWith("(--strict-images)"),
        e.getMessage());
  }

  /** Cut in the middle of its pixel data (incompressible rows, so the cut falls inside IDAT), not just its end. */
  @Test
  void aPngCutInItsPixelDataIsRefusedNamingTheCut() throws Exception {
    BufferedImage noise = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    java.util.Random random = new java.util.Random(1);
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        noise.getRaster().setSample(x, y, 0, random.nextInt(256));
      }
    }
    Path png = dir.resolve("cut.png");
    ImageIO.write(noise, "png", png.toFile());
    byte[] whole = Files.readAllBytes(png);
    assertTrue(whole.length > 700, "incompressible: " + whole.length + " bytes");
    Files.write(png, Arrays.copyOf(whole, whole.length / 2));
    List<String> warnings = new ArrayList<>();
    InvalidDataException e = assertThrows(InvalidDataException.class, () -> ImageDecoding.decode(png, warnings::add));
    assertTrue(e.getMessage().startsWith(png + ": unreadable image (") && e.getMessage().contains("end of"),
        e.getMessage());
    assertEquals(List.of(), warnings);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (haystack[i] == needle[0] && haystack[i + 1] == needle[1]) {
        return i;
      }
    }
    throw new AssertionError("marker not found");
  }
}

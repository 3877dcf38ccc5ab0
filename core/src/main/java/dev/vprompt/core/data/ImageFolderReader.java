package dev.vprompt.core.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads {@code DIR/train/<class>/*.png|jpg|jpeg} and {@code DIR/test/<class>/...}.
 *
 * <p>Classes are the sub-folders of {@code train/}, sorted by name; {@code test/} must have the
 * same ones. All images must share one size and be all grey (stored with one channel) or all
 * colour (three channels, alpha dropped).
 */
public final class ImageFolderReader {

  private ImageFolderReader() {
  }

  public static DatasetSplits read(Path dir) {
    DataFiles.requireDirectory(dir);
    Path trainDir = dir.resolve("train");
    Path testDir = dir.resolve("test");
    requireSplitDir(trainDir);
    requireSplitDir(testDir);
    List<String> classes = classFolders(trainDir);
    List<String> testClasses = classFolders(testDir);
    if (!testClasses.equals(classes)) {
      throw new InvalidDataException(testDir, "class folders " + testClasses + " differ from train/ "
          + classes);
    }
    Split train = readSplit(trainDir, classes, null);
    Split test = readSplit(testDir, classes, train.reference());
    Path name = dir.toAbsolutePath().normalize().getFileName();
    return new DatasetSplits(name == null ? "folder" : name.toString(), train.images(), test.images());
  }

  /** The image that fixed the shape, for error messages. */
  private record Reference(Path file, int height, int width, int channels) {
  }

  private record Split(ImageSet images, Reference reference) {
  }

  private static void requireSplitDir(Path splitDir) {
    if (!Files.isDirectory(splitDir)) {
      throw new InvalidDataException(splitDir, "missing " + splitDir.getFileName()
          + "/ folder (expected " + splitDir.getFileName() + "/<class>/*.png|jpg|jpeg)");
    }
  }

  private static List<String> classFolders(Path splitDir) {
    List<String> classes = new ArrayList<>();
    try (Stream<Path> entries = Files.list(splitDir)) {
      entries.filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .filter(name -> !name.startsWith("."))
          .sorted()
          .forEach(classes::add);
    } catch (IOException e) {
      throw DataFiles.failure(splitDir, e);
    }
    if (classes.isEmpty()) {
      throw new InvalidDataException(splitDir, "no class folders (expected "
          + splitDir.getFileName() + "/<class>/*.png|jpg|jpeg)");
    }
    return classes;
  }

  private static List<Path> imageFiles(Path classDir) {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> entries = Files.list(classDir)) {
      entries.filter(Files::isRegularFile)
          .filter(ImageFolderReader::isImageName)
          .sorted()
          .forEach(files::add);
    } catch (IOException e) {
      throw DataFiles.failure(classDir, e);
    }
    if (files.isEmpty()) {
      throw new InvalidDataException(classDir, "empty class folder: no .png, .jpg or .jpeg images");
    }
    return files;
  }

  private static boolean isImageName(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return !name.startsWith(".") && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
  }

  /** @param reference the shape every image must have, or null to take it from the first image */
  private static Split readSplit(Path splitDir, List<String> classes, Reference reference) {
    List<Path> files = new ArrayList<>();
    List<Integer> fileLabels = new ArrayList<>();
    for (int c = 0; c < classes.size(); c++) {
      for (Path file : imageFiles(splitDir.resolve(classes.get(c)))) {
        files.add(file);
        fileLabels.add(c);
      }
    }
    byte[] pixels = null;
    int[] labels = new int[files.size()];
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      BufferedImage image = decode(file);
      int channels = image.getColorModel().getNumColorComponents() == 1 ? 1 : 3;
      if (reference == null) {
        reference = new Reference(file, image.getHeight(), image.getWidth(), channels);
      }
      checkShape(file, image, channels, reference);
      if (pixels == null) {
        long size = (long) files.size() * reference.height() * reference.width() * reference.channels();
        if (size > Integer.MAX_VALUE - 16) {
          throw new InvalidDataException(splitDir, "too many pixels to load: " + size);
        }
        DataLimits.requireBytes(splitDir, size, files.size() + " images of " + reference.width() + "x"
            + reference.height() + "x" + reference.channels());
        pixels = new byte[(int) size];
      }
      int offset = i * reference.height() * reference.width() * reference.channels();
      if (channels == 1) {
        copyGrey(image, pixels, offset);
      } else {
        copyRgb(image, pixels, offset);
      }
      labels[i] = fileLabels.get(i);
    }
    return new Split(new ImageSet(pixels, labels, reference.height(), reference.width(), reference.channels(),
        classes), reference);
  }

  private static BufferedImage decode(Path file) {
    return ImageDecoding.decode(file, System.err::println);
  }

  private static void checkShape(Path file, BufferedImage image, int channels, Reference reference) {
    if (image.getHeight() != reference.height() || image.getWidth() != reference.width()) {
      throw new InvalidDataException(file, "image is " + image.getWidth() + "x" + image.getHeight()
          + " (WxH) but " + reference.file() + " is " + reference.width() + "x" + reference.height()
          + "; all images must have one size");
    }
    if (channels != reference.channels()) {
      throw new InvalidDataException(file, describe(channels) + " image in a data set of "
          + describe(reference.channels()) + " images (like " + reference.file()
          + "); convert them all to one kind");
    }
  }

  private static String describe(int channels) {
    return channels == 1 ? "grey (1 channel)" : "colour (3 channel)";
  }

  /** Grey samples straight from the raster: getRGB would apply a gamma conversion. */
  private static void copyGrey(BufferedImage image, byte[] out, int offset) {
    Raster raster = image.getRaster();
    int w = image.getWidth();
    int h = image.getHeight();
    int bits = image.getColorModel().getComponentSize(0);
    int max = (1 << bits) - 1;
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getSamples(0, y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        int v = bits == 8 ? row[x] : (row[x] * 255 + max / 2) / max;
        out[offset + y * w + x] = (byte) v;
      }
    }
  }

  private static void copyRgb(BufferedImage image, byte[] out, int offset) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int argb = row[x];
        int o = offset + (y * w + x) * 3;
        out[o] = (byte) (argb >> 16);
        out[o + 1] = (byte) (argb >> 8);
        out[o + 2] = (byte) argb;
      }
    }
  }
}

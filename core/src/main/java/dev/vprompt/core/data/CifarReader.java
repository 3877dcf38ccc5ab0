package dev.vprompt.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the binary versions of CIFAR-10 and CIFAR-100, either extracted or straight from the
 * distributed .tar.gz.
 *
 * <p>Each record is the label byte(s) followed by a 32x32 colour image stored as three planes
 * (all red, all green, all blue); images are converted to interleaved HWC.
 */
public final class CifarReader {

  private static final int SIDE = 32;
  private static final int PLANE = SIDE * SIDE;
  private static final int IMAGE_BYTES = 3 * PLANE;

  /** The two layouts; CIFAR-100 records carry a coarse then a fine label and we use the fine one. */
  public enum Variant {
    CIFAR10("cifar10", "CIFAR-10", 1, 0, 10,
        List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
            "data_batch_5.bin"),
        "test_batch.bin", "batches.meta.txt", "cifar-10-batches-bin", "cifar-10-binary.tar.gz"),
    CIFAR100("cifar100", "CIFAR-100", 2, 1, 100,
        List.of("train.bin"),
        "test.bin", "fine_label_names.txt", "cifar-100-binary", "cifar-100-binary.tar.gz");

    final String datasetName;
    final String title;
    final int labelBytes;
    final int labelOffset;
    final int numClasses;
    final List<String> trainFiles;
    final String testFile;
    final String namesFile;
    final String folderName;
    final String archiveName;

    Variant(String datasetName, String title, int labelBytes, int labelOffset, int numClasses,
        List<String> trainFiles, String testFile, String namesFile, String folderName, String archiveName) {
      this.datasetName = datasetName;
      this.title = title;
      this.labelBytes = labelBytes;
      this.labelOffset = labelOffset;
      this.numClasses = numClasses;
      this.trainFiles = trainFiles;
      this.testFile = testFile;
      this.namesFile = namesFile;
      this.folderName = folderName;
      this.archiveName = archiveName;
    }

    int recordSize() {
      return labelBytes + IMAGE_BYTES;
    }

    public String archiveName() {
      return archiveName;
    }

    public String folderName() {
      return folderName;
    }
  }

  private CifarReader() {
  }

  /**
   * @param location the .tar.gz itself, a directory holding it, a directory holding the extracted
   *                 folder ({@code cifar-10-batches-bin/} or {@code cifar-100-binary/}), or that
   *                 folder itself
   */
  public static DatasetSplits read(Path location, Variant variant) {
    Source source = locate(location, variant);
    List<String> names = source.classNames(variant);
    ImageSet train = readSplit(source, variant, variant.trainFiles, names);
    ImageSet test = readSplit(source, variant, List.of(variant.testFile), names);
    return new DatasetSplits(variant.datasetName, train, test);
  }

  private static Source locate(Path location, Variant variant) {
    if (Files.isRegularFile(location)) {
      return new ArchiveSource(location, variant);
    }
    DataFiles.requireDirectory(location);
    if (Files.isDirectory(location.resolve(variant.folderName))) {
      return new DirectorySource(location.resolve(variant.folderName));
    }
    if (Files.exists(location.resolve(variant.trainFiles.get(0)))) {
      return new DirectorySource(location);
    }
    if (Files.isRegularFile(location.resolve(variant.archiveName))) {
      return new ArchiveSource(location.resolve(variant.archiveName), variant);
    }
    throw new InvalidDataException(location, "no " + variant.title + " data: expected " + variant.folderName
        + "/, " + variant.trainFiles.get(0) + " or " + variant.archiveName + " here");
  }

  private static ImageSet readSplit(Source source, Variant variant, List<String> files, List<String> names) {
    int recordSize = variant.recordSize();
    long totalCount = 0;
    for (String file : files) {
      long size = source.size(file);
      if (size % recordSize != 0) {
        throw source.problem(file, "size " + size + " is not a multiple of the " + recordSize
            + "-byte " + variant.title + " record");
      }
      totalCount += size / recordSize;
    }
    if (totalCount * IMAGE_BYTES > Integer.MAX_VALUE - 16) {
      throw source.problem(files.get(0), "too many images to load: " + totalCount);
    }
    byte[] pixels = new byte[(int) (totalCount * IMAGE_BYTES)];
    int[] labels = new int[(int) totalCount];
    int next = 0;
    for (String file : files) {
      byte[] records = source.read(file);
      next = decode(source, file, variant, records, pixels, labels, next);
    }
    return new ImageSet(pixels, labels, SIDE, SIDE, 3, names);
  }

  /** Decodes records into the arrays starting at image {@code first}; returns the next free index. */
  private static int decode(Source source, String file, Variant variant, byte[] records, byte[] pixels,
      int[] labels, int first) {
    int recordSize = variant.recordSize();
    int count = records.length / recordSize;
    for (int r = 0; r < count; r++) {
      int in = r * recordSize;
      int label = records[in + variant.labelOffset] & 0xFF;
      if (label >= variant.numClasses) {
        throw source.problem(file, "record " + r + " has label " + label + ", outside [0, "
            + (variant.numClasses - 1) + "]");
      }
      labels[first + r] = label;
      int planes = in + variant.labelBytes;
      int out = (first + r) * IMAGE_BYTES;
      for (int p = 0; p < PLANE; p++) {
        pixels[out + 3 * p] = records[planes + p];
        pixels[out + 3 * p + 1] = records[planes + PLANE + p];
        pixels[out + 3 * p + 2] = records[planes + 2 * PLANE + p];
      }
    }
    return first + count;
  }

  private static List<String> checkNames(List<String> names, Variant variant, Function<String, InvalidDataException> error) {
    if (names.size() != variant.numClasses) {
      throw error.apply("has " + names.size() + " class names, expected " + variant.numClasses);
    }
    return names;
  }

  private static List<String> defaultNames(Variant variant) {
    return variant == Variant.CIFAR10 ? ClassNames.CIFAR10 : ClassNames.generic(variant.numClasses);
  }

  /** Where the record files come from: a folder or an archive. */
  private interface Source {
    long size(String file);

    byte[] read(String file);

    List<String> classNames(Variant variant);

    InvalidDataException problem(String file, String problem);
  }

  private record DirectorySource(Path dir) implements Source {
    @Override
    public long size(String file) {
      Path path = DataFiles.requireFile(dir.resolve(file));
      try {
        return Files.size(path);
      } catch (IOException e) {
        throw DataFiles.failure(path, e);
      }
    }

    @Override
    public byte[] read(String file) {
      Path path = dir.resolve(file);
      try {
        return Files.readAllBytes(path);
      } catch (IOException e) {
        throw DataFiles.failure(path, e);
      }
    }

    @Override
    public List<String> classNames(Variant variant) {
      Path path = dir.resolve(variant.namesFile);
      if (!Files.exists(path)) {
        return defaultNames(variant);
      }
      return checkNames(ClassNames.readLines(path), variant, p -> new InvalidDataException(path, p));
    }

    @Override
    public InvalidDataException problem(String file, String problem) {
      return new InvalidDataException(dir.resolve(file), problem);
    }
  }

  private static final class ArchiveSource implements Source {
    private final Path archive;
    private final Map<String, byte[]> entries;

    ArchiveSource(Path archive, Variant variant) {
      this.archive = archive;
      Set<String> wanted = new LinkedHashSet<>(variant.trainFiles);
      wanted.add(variant.testFile);
      wanted.add(variant.namesFile);
      this.entries = TarReader.readFiles(archive, wanted);
      List<String> missing = new ArrayList<>();
      for (String name : wanted) {
        if (!name.equals(variant.namesFile) && !entries.containsKey(name)) {
          missing.add(name);
        }
      }
      if (!missing.isEmpty()) {
        throw new InvalidDataException(archive, "not a " + variant.title + " binary archive: missing "
            + String.join(", ", missing));
      }
    }

    @Override
    public long size(String file) {
      return entries.get(file).length;
    }

    @Override
    public byte[] read(String file) {
      // hand the bytes over and forget them, so the raw copy can be collected early
      return entries.remove(file);
    }

    @Override
    public List<String> classNames(Variant variant) {
      byte[] text = entries.remove(variant.namesFile);
      if (text == null) {
        return defaultNames(variant);
      }
      return checkNames(ClassNames.parse(text), variant, p -> problem(variant.namesFile, p));
    }

    @Override
    public InvalidDataException problem(String file, String problem) {
      return new InvalidDataException(archive, "entry " + file + ": " + problem);
    }
  }
}

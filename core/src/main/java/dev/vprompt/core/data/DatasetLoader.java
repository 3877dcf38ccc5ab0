package dev.vprompt.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loads a {@link DataSpec} into train and test splits; also finds the embedded default dataset. */
public final class DatasetLoader {

  /** The committed Fashion-MNIST subset, relative to the repository root. */
  public static final String EMBEDDED_DIR = "testdata/fashion-mnist-small";
  public static final String EMBEDDED_NAME = "fashion-mnist-small";
  /** System property naming the repository root; the launcher sets it. */
  public static final String HOME_PROPERTY = "vprompt.home";
  /** Optional class-name list for {@code idx:} data, one name per line. */
  public static final String IDX_CLASS_NAMES_FILE = "classes.txt";

  private DatasetLoader() {
  }

  public static DatasetSplits load(DataSpec spec) {
    spec.checkExists();
    return switch (spec.kind()) {
      case FASHION_MNIST -> loadIdx(spec.dir(), "fashion-mnist", ClassNames.FASHION_MNIST);
      case MNIST -> loadIdx(spec.dir(), "mnist", ClassNames.MNIST);
      case IDX -> loadIdx(spec.dir(), "idx", idxClassNames(spec.dir()));
      case CIFAR10 -> CifarReader.read(spec.dir(), CifarReader.Variant.CIFAR10);
      case CIFAR100 -> CifarReader.read(spec.dir(), CifarReader.Variant.CIFAR100);
      case FOLDER -> ImageFolderReader.read(spec.dir());
    };
  }

  /**
   * Loads the four MNIST-named IDX files (each raw or .gz) from {@code dir}.
   *
   * @param classNames null to use generic names for (largest label + 1) classes
   */
  public static DatasetSplits loadIdx(Path dir, String name, List<String> classNames) {
    DataFiles.requireDirectory(dir);
    Path trainImages = IdxFiles.find(dir, IdxFiles.TRAIN_IMAGES);
    Path trainLabels = IdxFiles.find(dir, IdxFiles.TRAIN_LABELS);
    Path testImages = IdxFiles.find(dir, IdxFiles.TEST_IMAGES);
    Path testLabels = IdxFiles.find(dir, IdxFiles.TEST_LABELS);
    List<String> names = classNames;
    if (names == null) {
      int max = Math.max(IdxReader.maxLabel(IdxReader.readLabels(trainLabels)),
          IdxReader.maxLabel(IdxReader.readLabels(testLabels)));
      names = ClassNames.generic(Math.max(max, 0) + 1);
    }
    ImageSet train = IdxReader.read(trainImages, trainLabels, names);
    ImageSet test = IdxReader.read(testImages, testLabels, names);
    if (!train.shape().equals(test.shape())) {
      throw new InvalidDataException(testImages, "images are " + test.shape() + " but "
          + trainImages.getFileName() + " has " + train.shape());
    }
    return new DatasetSplits(name, train, test);
  }

  /** The committed Fashion-MNIST subset (2,000 train / 500 test images). */
  public static DatasetSplits embeddedDefault() {
    return loadIdx(embeddedDefaultDir(), EMBEDDED_NAME, ClassNames.FASHION_MNIST);
  }

  /**
   * Finds {@value #EMBEDDED_DIR} under the {@value #HOME_PROPERTY} system property, else under the
   * working directory or one of its parents (so tests running inside a module find it too).
   */
  public static Path embeddedDefaultDir() {
    return embeddedDefaultDir(System.getProperty(HOME_PROPERTY), Path.of("").toAbsolutePath());
  }

  static Path embeddedDefaultDir(String home, Path workingDir) {
    List<Path> tried = new ArrayList<>();
    if (home != null && !home.isBlank()) {
      tried.add(Path.of(home).resolve(EMBEDDED_DIR));
    }
    for (Path dir = workingDir; dir != null; dir = dir.getParent()) {
      tried.add(dir.resolve(EMBEDDED_DIR));
    }
    for (Path candidate : tried) {
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new InvalidDataException(Path.of(EMBEDDED_DIR), "embedded default dataset not found (looked in "
        + tried + "); run from the vprompt checkout or set -D" + HOME_PROPERTY + "=<repository root>");
  }

  private static List<String> idxClassNames(Path dir) {
    Path namesFile = dir.resolve(IDX_CLASS_NAMES_FILE);
    return Files.exists(namesFile) ? ClassNames.readLines(namesFile) : null;
  }
}

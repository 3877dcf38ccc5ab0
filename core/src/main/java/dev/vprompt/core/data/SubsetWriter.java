package dev.vprompt.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Builds the embedded default dataset: the first {@code k} images of every class, kept in their
 * original order, written as gzip IDX files under the standard MNIST names.
 *
 * <pre>
 * java -cp train/target/classes dev.vprompt.core.data.SubsetWriter \
 *     /usr/share/datasets/fashion-mnist testdata/fashion-mnist-small 200 50
 * </pre>
 */
public final class SubsetWriter {

  public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

  private SubsetWriter() {
  }

  /**
   * Indices of the first {@code perClass} images of each class, in ascending (original) order.
   *
   * @throws IllegalArgumentException if a class has fewer than {@code perClass} images
   */
  public static int[] firstPerClass(ImageSet set, int perClass) {
    int[] taken = new int[set.numClasses()];
    int[] indices = new int[set.numClasses() * perClass];
    int n = 0;
    for (int i = 0; i < set.count() && n < indices.length; i++) {
      int label = set.label(i);
      if (taken[label] < perClass) {
        taken[label]++;
        indices[n++] = i;
      }
    }
    if (n < indices.length) {
      throw new IllegalArgumentException("cannot take " + perClass + " images per class: counts reached "
          + Arrays.toString(taken));
    }
    return indices;
  }

  /** Writes both splits as the four standard gzip IDX files into {@code dir}. */
  public static void write(DatasetSplits splits, Path dir) throws IOException {
    Files.createDirectories(dir);
    IdxWriter.writeImages(dir.resolve(IdxFiles.TRAIN_IMAGES + ".gz"), splits.train());
    IdxWriter.writeLabels(dir.resolve(IdxFiles.TRAIN_LABELS + ".gz"), splits.train());
    IdxWriter.writeImages(dir.resolve(IdxFiles.TEST_IMAGES + ".gz"), splits.test());
    IdxWriter.writeLabels(dir.resolve(IdxFiles.TEST_LABELS + ".gz"), splits.test());
  }

  /** The stratified subset of {@code source}: the first trainPerClass / testPerClass of each class. */
  public static DatasetSplits subset(DatasetSplits source, String name, int trainPerClass, int testPerClass) {
    ImageSet train = source.train().subset(firstPerClass(source.train(), trainPerClass));
    ImageSet test = source.test().subset(firstPerClass(source.test(), testPerClass));
    return new DatasetSplits(name, train, test);
  }

  /** Arguments: [sourceDir] [targetDir] [trainPerClass] [testPerClass]. */
  public static void main(String[] args) throws IOException {
    Path source = args.length > 0 ? Path.of(args[0]) : DEBIAN_FASHION_MNIST;
    Path target = args.length > 1 ? Path.of(args[1]) : Path.of(DatasetLoader.EMBEDDED_DIR);
    int trainPerClass = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    int testPerClass = args.length > 3 ? Integer.parseInt(args[3]) : 50;
    DatasetSplits full = DatasetLoader.loadIdx(source, "fashion-mnist", ClassNames.FASHION_MNIST);
    DatasetSplits small = subset(full, DatasetLoader.EMBEDDED_NAME, trainPerClass, testPerClass);
    write(small, target);
    System.out.println("wrote " + small.train().count() + " train and " + small.test().count()
        + " test images to " + target);
  }
}

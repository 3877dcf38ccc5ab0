package dev.vprompt.core.data;

import static dev.vprompt.core.data.DataAssertions.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLoaderTest {

  @TempDir
  Path dir;

  /** Writes the four standard IDX files: train and test images of the given shape. */
  private void writeIdx(int height, int width, int[] trainLabels, int[] testLabels, boolean gzip) {
    writeSplit("train-images-idx3-ubyte", "train-labels-idx1-ubyte", height, width, trainLabels, gzip);
    writeSplit("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", height, width, testLabels, gzip);
  }

  private void writeSplit(String images, String labels, int height, int width, int[] labelValues, boolean gzip) {
    byte[] imageBytes = Fixtures.idx3(labelValues.length, height, width,
        Fixtures.ramp(labelValues.length * height * width, labelValues.length));
    byte[] labelBytes = Fixtures.idxLabels(labelValues);
    Fixtures.write(dir.resolve(gzip ? images + ".gz" : images), gzip ? Fixtures.gzip(imageBytes) : imageBytes);
    Fixtures.write(dir.resolve(gzip ? labels + ".gz" : labels), gzip ? Fixtures.gzip(labelBytes) : labelBytes);
  }

  @Test
  void fashionMnistGetsItsClassNames() {
    writeIdx(28, 28, new int[] {9, 0, 3}, new int[] {1}, true);
    DatasetSplits splits = DatasetLoader.load(DataSpec.parse("fashion-mnist:" + dir));
    assertEquals("fashion-mnist", splits.name());
    assertEquals("Ankle boot", splits.classNames().get(9));
    assertEquals("T-shirt/top", splits.classNames().get(0));
    assertEquals(3, splits.train().count());
    assertEquals("28x28x1", splits.test().shape());
  }

  @Test
  void mnistGetsDigitNamesFromRawFiles() {
    writeIdx(28, 28, new int[] {5, 7}, new int[] {2, 2}, false);
    DatasetSplits splits = DatasetLoader.load(DataSpec.parse("mnist:" + dir));
    assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), splits.classNames());
    assertArrayEquals(new int[] {5, 7}, splits.train().labels());
  }

  @Test
  void idxTakesAnySizeAndCountsClassesOverBothSplits() {
    writeIdx(5, 7, new int[] {0, 2, 1}, new int[] {4, 0}, true);
    DatasetSplits splits = DatasetLoader.load(DataSpec.parse("idx:" + dir));
    assertEquals(5, splits.numClasses());
    assertEquals("class_4", splits.classNames().get(4));
    assertEquals("5x7x1", splits.train().shape());
  }

  @Test
  void idxReadsFourDimensionalImagesAndAClassesFile() {
    byte[] pixels = Fixtures.ramp(2 * 3 * 3 * 3, 0);
    Fixtures.write(dir.resolve("train-images-idx3-ubyte.gz"), Fixtures.gzip(Fixtures.idx4(2, 3, 3, 3, pixels)));
    Fixtures.write(dir.resolve("train-labels-idx1-ubyte.gz"), Fixtures.gzip(Fixtures.idxLabels(0, 1)));
    Fixtures.write(dir.resolve("t10k-images-idx3-ubyte"), Fixtures.idx4(1, 3, 3, 3, Fixtures.ramp(27, 9)));
    Fixtures.write(dir.resolve("t10k-labels-idx1-ubyte"), Fixtures.idxLabels(2));
    Fixtures.writeText(dir.resolve("classes.txt"), "red\ngreen\nblue\n");
    DatasetSplits splits = DatasetLoader.load(DataSpec.parse("idx:" + dir));
    assertEquals(List.of("red", "green", "blue"), splits.classNames());
    assertEquals("3x3x3", splits.train().shape());
    assertArrayEquals(pixels, splits.train().pixels());
  }

  @Test
  void fashionMnistRejectsLabelsBeyondTen() {
    writeIdx(28, 28, new int[] {0, 1}, new int[] {11}, true);
    assertInvalid(dir.resolve("t10k-labels-idx1-ubyte.gz"), () -> DatasetLoader.load(DataSpec.parse("fashion-mnist:" + dir)),
        "label 11 at index 0 is outside the 10 classes");
  }

  @Test
  void namesTheMissingFile() throws IOException {
    writeIdx(28, 28, new int[] {0}, new int[] {0}, true);
    Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
    assertInvalid(dir.resolve("t10k-labels-idx1-ubyte"), () -> DatasetLoader.load(DataSpec.parse("mnist:" + dir)),
        "not found (neither t10k-labels-idx1-ubyte nor t10k-labels-idx1-ubyte.gz)");
  }

  @Test
  void rejectsTestImagesOfAnotherShape() {
    writeSplit("train-images-idx3-ubyte", "train-labels-idx1-ubyte", 28, 28, new int[] {0}, true);
    writeSplit("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 32, 32, new int[] {0}, true);
    assertInvalid(dir.resolve("t10k-images-idx3-ubyte.gz"), () -> DatasetLoader.load(DataSpec.parse("idx:" + dir)),
        "images are 32x32x1 but train-images-idx3-ubyte.gz has 28x28x1");
  }

  @Test
  void loadsCifarAndFolderKindsThroughTheirReaders() {
    Fixtures.write(dir.resolve("cifar/data_batch_1.bin"), CifarFixtures.cifar10(0, 3));
    for (int b = 2; b <= 5; b++) {
      Fixtures.write(dir.resolve("cifar/data_batch_" + b + ".bin"), new byte[0]);
    }
    Fixtures.write(dir.resolve("cifar/test_batch.bin"), CifarFixtures.cifar10(1, 8));
    DatasetSplits cifar = DatasetLoader.load(DataSpec.parse("cifar10:" + dir.resolve("cifar")));
    assertEquals(1, cifar.train().count());
    assertArrayEquals(new int[] {8}, cifar.test().labels());

    Path missingTrain = dir.resolve("folder");
    Fixtures.writeText(missingTrain.resolve("test/a/readme.txt"), "x");
    assertInvalid(missingTrain.resolve("train"), () -> DatasetLoader.load(DataSpec.parse("folder:" + missingTrain)),
        "missing train/ folder");
  }
}

package dev.vprompt.core.data;

import static dev.vprompt.core.data.DataAssertions.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatasetTest {

  @Test
  void loadsTwoThousandTrainAndFiveHundredTestImages() {
    DatasetSplits splits = DatasetLoader.embeddedDefault();
    assertEquals("fashion-mnist-small", splits.name());
    assertEquals(ClassNames.FASHION_MNIST, splits.classNames());
    assertEquals(2000, splits.train().count());
    assertEquals(500, splits.test().count());
    assertEquals("28x28x1", splits.train().shape());
    assertEquals("28x28x1", splits.test().shape());
    int[] train = splits.train().classCounts();
    int[] test = splits.test().classCounts();
    int[] twoHundred = new int[10];
    int[] fifty = new int[10];
    Arrays.fill(twoHundred, 200);
    Arrays.fill(fifty, 50);
    assertArrayEquals(twoHundred, train);
    assertArrayEquals(fifty, test);
    // the first Fashion-MNIST training image is an ankle boot, the first test image too
    assertEquals(9, splits.train().label(0));
    assertEquals(9, splits.test().label(0));
  }

  @Test
  void isFoundThroughTheHomePropertyAndFromInsideTheRepository(@TempDir Path elsewhere) {
    Path fromWorkingDir = DatasetLoader.embeddedDefaultDir();
    Path repoRoot = fromWorkingDir.getParent().getParent();
    assertEquals(fromWorkingDir, DatasetLoader.embeddedDefaultDir(repoRoot.toString(), elsewhere));
    assertEquals(fromWorkingDir, DatasetLoader.embeddedDefaultDir(null, repoRoot.resolve("train/src")));
  }

  @Test
  void failsClearlyWhenNotFound(@TempDir Path elsewhere) {
    assertInvalid(Path.of(DatasetLoader.EMBEDDED_DIR),
        () -> DatasetLoader.embeddedDefaultDir(elsewhere.resolve("nohome").toString(), elsewhere),
        "embedded default dataset not found", "-Dvprompt.home");
  }

  @Test
  void equalsTheDocumentedSubsetOfDebiansFashionMnist() {
    Path debian = SubsetWriter.DEBIAN_FASHION_MNIST;
    assumeTrue(Files.isDirectory(debian), "dataset-fashion-mnist is not installed");
    DatasetSplits full = DatasetLoader.loadIdx(debian, "fashion-mnist", ClassNames.FASHION_MNIST);
    assertEquals(60_000, full.train().count());
    assertEquals(10_000, full.test().count());
    DatasetSplits expected = SubsetWriter.subset(full, "fashion-mnist-small", 200, 50);
    DatasetSplits committed = DatasetLoader.embeddedDefault();
    assertArrayEquals(expected.train().labels(), committed.train().labels());
    assertArrayEquals(expected.train().pixels(), committed.train().pixels());
    assertArrayEquals(expected.test().labels(), committed.test().labels());
    assertArrayEquals(expected.test().pixels(), committed.test().pixels());
  }

  @Test
  void firstPerClassKeepsOriginalOrder() {
    ImageSet set = new ImageSet(Fixtures.ramp(8, 0), new int[] {1, 1, 0, 1, 0, 0, 2, 2}, 1, 1, 1,
        ClassNames.generic(3));
    assertArrayEquals(new int[] {0, 2, 6}, SubsetWriter.firstPerClass(set, 1));
    assertArrayEquals(new int[] {0, 1, 2, 4, 6, 7}, SubsetWriter.firstPerClass(set, 2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SubsetWriter.firstPerClass(set, 3));
    assertTrue(e.getMessage().contains("[3, 3, 2]"), e.getMessage());
  }
}

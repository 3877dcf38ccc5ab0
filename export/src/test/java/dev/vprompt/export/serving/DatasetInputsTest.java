package dev.vprompt.export.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.core.data.DatasetLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetInputsTest {

  @TempDir Path temp;

  private static final Path EMBEDDED = DatasetLoader.embeddedDefaultDir();

  @Test
  void aDataSpecGivesItsLabelledTestSplit() {
    DatasetInputs.Batch batch = DatasetInputs.load("fashion-mnist:" + EMBEDDED).orElseThrow();
    assertEquals(500, batch.count());
    assertEquals(28 * 28, batch.imageSize());
    assertEquals(500, batch.labels().length);
    assertTrue(batch.source().contains("test split"));
  }

  @Test
  void anIdxImageFileFindsItsLabels() throws Exception {
    DatasetInputs.Batch withLabels =
        DatasetInputs.load(EMBEDDED.resolve("t10k-images-idx3-ubyte.gz").toString()).orElseThrow();
    assertEquals(500, withLabels.labels().length);

    Path alone = temp.resolve("t10k-images-idx3-ubyte.gz");
    Files.copy(EMBEDDED.resolve("t10k-images-idx3-ubyte.gz"), alone);
    DatasetInputs.Batch unlabelled = DatasetInputs.load(alone.toString()).orElseThrow();
    assertNull(unlabelled.labels());
    assertArrayEquals(withLabels.pixels(), unlabelled.pixels());
  }

  @Test
  void imagesAndUnknownKindsAreNotDatasets() throws Exception {
    Path png = temp.resolve("a.png");
    Files.write(png, PngImages.encode(new byte[4], 0, 2, 2, 1));
    assertTrue(DatasetInputs.load(png.toString()).isEmpty());
    assertTrue(DatasetInputs.load("svhn:" + temp).isEmpty(), "an unknown kind is left to the image reader");
    assertThrows(IllegalArgumentException.class, () -> DatasetInputs.load("idx:" + temp.resolve("missing")));
  }

  @Test
  void aBatchOfAnotherShapeConvertsOnlyWhenAsked() {
    byte[] pixels = {0, 100, 50, 50};
    DatasetInputs.Batch batch = new DatasetInputs.Batch("two", pixels, 2, 1, 2, 1, null);
    assertArrayEquals(pixels, batch.pixelsFor(1, 2, 1, false));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> batch.pixelsFor(1, 4, 1, false));
    assertTrue(e.getMessage().startsWith("two: the images are 1x2x1"), e.getMessage());
    assertArrayEquals(new byte[] {0, 25, 75, 100, 50, 50, 50, 50}, batch.pixelsFor(1, 4, 1, true));
  }
}

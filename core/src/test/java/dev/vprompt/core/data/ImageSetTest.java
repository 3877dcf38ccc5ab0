package dev.vprompt.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageSetTest {

  private static final List<String> ABC = List.of("a", "b", "c");

  /** Three 2x2 RGB images whose bytes are 0..35. */
  private static ImageSet threeImages() {
    return new ImageSet(Fixtures.ramp(36, 0), new int[] {2, 0, 2}, 2, 2, 3, ABC);
  }

  @Test
  void exposesShapeAndPixels() {
    ImageSet set = threeImages();
    assertEquals(3, set.count());
    assertEquals(3, set.numClasses());
    assertEquals(12, set.imageSize());
    assertEquals("2x2x3", set.shape());
    // image 1, row 1, column 0, channel 2 -> 12 + (1*2 + 0)*3 + 2 = 20
    assertEquals(20, set.pixel(1, 1, 0, 2));
    assertArrayEquals(Fixtures.ramp(12, 24), set.imageBytes(2));
    assertArrayEquals(new int[] {1, 0, 2}, set.classCounts());
  }

  @Test
  void pixelValuesAreUnsigned() {
    ImageSet set = new ImageSet(new byte[] {(byte) 200}, new int[] {0}, 1, 1, 1, List.of("x"));
    assertEquals(200, set.pixel(0, 0, 0, 0));
  }

  @Test
  void subsetCopiesTheChosenImagesInOrder() {
    ImageSet sub = threeImages().subset(new int[] {2, 0, 2});
    assertEquals(3, sub.count());
    assertArrayEquals(new int[] {2, 2, 2}, sub.labels());
    assertArrayEquals(Fixtures.concat(Fixtures.ramp(12, 24), Fixtures.ramp(12, 0), Fixtures.ramp(12, 24)),
        sub.pixels());
    assertEquals(ABC, sub.classNames());
  }

  @Test
  void subsetRejectsABadIndex() {
    assertThrows(IndexOutOfBoundsException.class, () -> threeImages().subset(new int[] {3}));
  }

  @Test
  void rejectsPixelCountThatDoesNotMatchTheShape() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ImageSet(new byte[35], new int[] {0, 0, 0}, 2, 2, 3, ABC));
    assertTrue(e.getMessage().contains("expected 36 pixel bytes"), e.getMessage());
  }

  @Test
  void rejectsLabelsOutsideTheClassList() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ImageSet(new byte[36], new int[] {0, 3, 0}, 2, 2, 3, ABC));
    assertTrue(e.getMessage().contains("label 3 of image 1"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new ImageSet(new byte[36], new int[] {0, -1, 0}, 2, 2, 3, ABC));
  }

  @Test
  void rejectsEmptyClassListAndBadShape() {
    assertThrows(IllegalArgumentException.class, () -> new ImageSet(new byte[0], new int[0], 2, 2, 1, List.of()));
    assertThrows(IllegalArgumentException.class, () -> new ImageSet(new byte[0], new int[0], 0, 2, 1, ABC));
  }

  @Test
  void splitsMustAgreeOnClassesAndShape() {
    ImageSet rgb = threeImages();
    ImageSet grey = new ImageSet(new byte[4], new int[] {0}, 2, 2, 1, ABC);
    assertThrows(IllegalArgumentException.class, () -> new DatasetSplits("x", rgb, grey));
    ImageSet otherNames = rgb.withClassNames(List.of("a", "b", "z"));
    assertThrows(IllegalArgumentException.class, () -> new DatasetSplits("x", rgb, otherNames));
    assertEquals(ABC, new DatasetSplits("x", rgb, rgb.subset(new int[] {0})).classNames());
  }
}

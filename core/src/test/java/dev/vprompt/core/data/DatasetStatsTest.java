package dev.vprompt.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetStatsTest {

  private static final double EPS = 1e-12;

  @Test
  void greyStatisticsByHand() {
    // values 0, 255, 255, 255 -> scaled 0, 1, 1, 1: mean 3/4, variance 3/4 - 9/16 = 3/16
    ImageSet set = new ImageSet(new byte[] {0, (byte) 255, (byte) 255, (byte) 255}, new int[] {0, 1},
        1, 2, 1, List.of("a", "b", "c"));
    DatasetStats.SplitStats stats = DatasetStats.of("train", set);
    assertEquals(2, stats.count());
    assertEquals(0.75, stats.mean()[0], EPS);
    assertEquals(Math.sqrt(3.0 / 16), stats.std()[0], EPS);
    assertArrayEquals(new int[] {0}, stats.min());
    assertArrayEquals(new int[] {255}, stats.max());
    assertArrayEquals(new int[] {1, 1, 0}, stats.classCounts());
  }

  @Test
  void colourStatisticsArePerChannel() {
    // two 1x1 RGB images (10,20,30) and (30,20,10)
    ImageSet set = new ImageSet(new byte[] {10, 20, 30, 30, 20, 10}, new int[] {1, 1}, 1, 1, 3,
        List.of("x", "y"));
    DatasetStats.SplitStats stats = DatasetStats.of("test", set);
    assertArrayEquals(new double[] {20 / 255.0, 20 / 255.0, 20 / 255.0}, stats.mean(), EPS);
    assertArrayEquals(new double[] {10 / 255.0, 0, 10 / 255.0}, stats.std(), EPS);
    assertArrayEquals(new int[] {10, 20, 10}, stats.min());
    assertArrayEquals(new int[] {30, 20, 30}, stats.max());
    assertArrayEquals(new int[] {0, 2}, stats.classCounts());
  }

  @Test
  void formatsATable() {
    ImageSet train = new ImageSet(new byte[] {10, 20, 30, 30, 20, 10}, new int[] {0, 1}, 1, 1, 3,
        List.of("cat", "dog"));
    ImageSet test = new ImageSet(new byte[] {0, 0, 0}, new int[] {1}, 1, 1, 3, List.of("cat", "dog"));
    String text = DatasetStats.of(new DatasetSplits("pets", train, test)).format();
    List<String> lines = text.lines().toList();
    assertEquals("dataset pets (2 classes)", lines.get(0));
    assertTrue(lines.get(2).matches("split\\s+images\\s+shape \\(HxWxC\\)\\s+mean\\s+std\\s+min\\s+max"), lines.get(2));
    assertTrue(lines.get(3).matches("train\\s+2\\s+1x1x3\\s+0\\.0784/0\\.0784/0\\.0784\\s+0\\.0392/0\\.0000/0\\.0392"
        + "\\s+10/20/10\\s+30/20/30"), lines.get(3));
    assertTrue(lines.get(4).matches("test\\s+1\\s+1x1x3\\s+0\\.0000/0\\.0000/0\\.0000.*"), lines.get(4));
    assertTrue(lines.get(6).matches("label\\s+class\\s+train\\s+test"), lines.get(6));
    assertTrue(lines.get(7).matches("\\s*0\\s+cat\\s+1\\s+0"), lines.get(7));
    assertTrue(lines.get(8).matches("\\s*1\\s+dog\\s+1\\s+1"), lines.get(8));
  }

  @Test
  void embeddedSubsetStatisticsAreFashionMnistLike() {
    DatasetStats stats = DatasetStats.of(DatasetLoader.embeddedDefault());
    // full Fashion-MNIST train: mean 0.2860, std 0.3530; a 2,000-image subset lands close
    assertEquals(0.286, stats.train().mean()[0], 0.02);
    assertEquals(0.353, stats.train().std()[0], 0.02);
    assertEquals(0, stats.train().min()[0]);
    assertEquals(255, stats.train().max()[0]);
  }
}

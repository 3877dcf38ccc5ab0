package dev.vprompt.graph.backbones;

import dev.vprompt.ops.TestSessions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vprompt.ops.Tensors;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class SwinWindowsTest {

  /** A 2 x 2 window: tokens (0,0) (0,1) (1,0) (1,1); table rows (dh + 1) * 3 + (dw + 1), as timm computes. */
  @Test
  void relativePositionIndexIsTimms() {
    assertArrayEquals(new int[] {
        4, 3, 1, 0,
        5, 4, 2, 1,
        7, 6, 4, 3,
        8, 7, 5, 4}, SwinWindows.relativePositionIndex(2, 2));
    int[] wide = SwinWindows.relativePositionIndex(1, 3);
    assertArrayEquals(new int[] {2, 1, 0, 3, 2, 1, 4, 3, 2}, wide);
  }

  /**
   * A 4 x 4 map, window 2, shift 1: regions are rows {0,1}, {2}, {3} times the same columns. Only the
   * bottom-right window mixes regions, and within it every token is its own region.
   */
  @Test
  void shiftMaskSeparatesTheRegionsTimmCuts() {
    float[] mask = SwinWindows.shiftMask(4, 4, 2, 2, 1, 1);
    assertEquals(4 * 4 * 4, mask.length);
    float m = SwinWindows.MASKED;
    float[] topLeft = new float[16];
    float[] topRight = {0, m, 0, m, m, 0, m, 0, 0, m, 0, m, m, 0, m, 0};
    float[] bottomLeft = {0, 0, m, m, 0, 0, m, m, m, m, 0, 0, m, m, 0, 0};
    float[] bottomRight = new float[16];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        bottomRight[i * 4 + j] = i == j ? 0 : m;
      }
    }
    float[][] expected = {topLeft, topRight, bottomLeft, bottomRight};
    for (int w = 0; w < 4; w++) {
      float[] got = new float[16];
      System.arraycopy(mask, w * 16, got, 0, 16);
      assertArrayEquals(expected[w], got, "window " + w);
    }
  }

  /** An axis that is not shifted is one region (timm's {@code [-0:]} slice covers it). */
  @Test
  void anUnshiftedAxisIsOneRegion() {
    float[] mask = SwinWindows.shiftMask(2, 4, 2, 2, 0, 1);
    float m = SwinWindows.MASKED;
    // window 1 (columns 2, 3): column 2 and column 3 are different regions, rows are not
    float[] right = {0, m, 0, m, m, 0, m, 0, 0, m, 0, m, m, 0, m, 0};
    float[] got = new float[16];
    System.arraycopy(mask, 16, got, 0, 16);
    assertArrayEquals(right, got);
    for (int k = 0; k < 16; k++) {
      assertEquals(0f, mask[k], "window 0 is inside one region");
    }
  }

  @Test
  void rollPartitionAndReverseMoveValuesAsTorchDoes() {
    float[] values = new float[4 * 6];
    for (int i = 0; i < values.length; i++) {
      values[i] = i;
    }
    try (Graph g = new Graph(); Session s = TestSessions.open(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> x = tf.constant(Shape.of(1, 4, 6, 1), org.tensorflow.ndarray.buffer.DataBuffers.of(values));
      Operand<TFloat32> rolled = SwinWindows.roll(tf, x, -1, 2, 4, 6);
      Operand<TFloat32> windows = SwinWindows.partition(tf, x, 4, 6, 2, 3, 1);
      Operand<TFloat32> back = SwinWindows.reverse(tf, windows, 4, 6, 2, 3, 1);
      try (Result r = s.runner().fetch(rolled).fetch(windows).fetch(back).run()) {
        float[] roll = Tensors.toFloats(r.get(0));
        // torch.roll(x, (-1, 2)): out[h][w] = x[(h + 1) % 4][(w - 2) mod 6]
        for (int h = 0; h < 4; h++) {
          for (int w = 0; w < 6; w++) {
            assertEquals(values[((h + 1) % 4) * 6 + Math.floorMod(w - 2, 6)], roll[h * 6 + w]);
          }
        }
        assertEquals(Shape.of(4, 6, 1), r.get(1).shape());
        // window 1 is rows 0-1, columns 3-5
        float[] win = Tensors.toFloats(r.get(1));
        assertArrayEquals(new float[] {3, 4, 5, 9, 10, 11}, java.util.Arrays.copyOfRange(win, 6, 12));
        assertArrayEquals(values, Tensors.toFloats(r.get(2)));
      }
    }
  }
}

package dev.vprompt.graph.backbones;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Swin's window bookkeeping ("Swin Transformer: Hierarchical Vision Transformer using Shifted Windows",
 * arXiv:2103.14030), laid out as timm's {@code swin_transformer.py} does it: the relative position index
 * and the shifted-window mask computed in Java, window partition and reverse, and the cyclic shift
 * written as two slices and a concat (TensorFlow Java has no gradient for {@code Roll}).
 */
final class SwinWindows {

  /** The value timm puts where a shifted window pairs tokens from different image regions. */
  static final float MASKED = -100f;

  private SwinWindows() {}

  /**
   * For each pair (i, j) of tokens of a {@code wh x ww} window, row-major, the row of the relative
   * position bias table that holds their bias: {@code (dh + wh - 1) * (2 ww - 1) + (dw + ww - 1)}.
   */
  static int[] relativePositionIndex(int wh, int ww) {
    int n = wh * ww;
    int[] index = new int[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        int dh = i / ww - j / ww;
        int dw = i % ww - j % ww;
        index[i * n + j] = (dh + wh - 1) * (2 * ww - 1) + (dw + ww - 1);
      }
    }
    return index;
  }

  /**
   * timm's {@code get_attn_mask} for a shifted block on a {@code paddedH x paddedW} map (already a
   * multiple of the window): the map is cut into 3 x 3 regions at {@code -window} and {@code -shift}, and
   * two tokens of a window attend to each other only if they come from the same region. Returns {@code
   * [windows, n, n]} flattened, windows row-major, 0 or {@link #MASKED}.
   */
  static float[] shiftMask(int paddedH, int paddedW, int wh, int ww, int sh, int sw) {
    int[] region = new int[paddedH * paddedW];
    for (int y = 0; y < paddedH; y++) {
      for (int x = 0; x < paddedW; x++) {
        region[y * paddedW + x] = band(y, paddedH, wh, sh) * 3 + band(x, paddedW, ww, sw);
      }
    }
    int rows = paddedH / wh;
    int cols = paddedW / ww;
    int n = wh * ww;
    float[] mask = new float[rows * cols * n * n];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        int window = r * cols + c;
        for (int i = 0; i < n; i++) {
          int ri = region[(r * wh + i / ww) * paddedW + c * ww + i % ww];
          for (int j = 0; j < n; j++) {
            int rj = region[(r * wh + j / ww) * paddedW + c * ww + j % ww];
            mask[(window * n + i) * n + j] = ri == rj ? 0f : MASKED;
          }
        }
      }
    }
    return mask;
  }

  /**
   * Which of the slices {@code [0, -window)}, {@code [-window, -shift)}, {@code [-shift, end)} holds {@code p}.
   * Along an axis that is not shifted, timm's last slice is {@code [-0:]}, the whole axis: one band.
   */
  private static int band(int p, int size, int window, int shift) {
    if (shift == 0) {
      return 0;
    }
    if (p < size - window) {
      return 0;
    }
    return p < size - shift ? 1 : 2;
  }

  /** {@code torch.roll(x, shifts=(dh, dw), dims=(1, 2))} on {@code [B, H, W, C]} with static H, W. */
  static Operand<TFloat32> roll(Ops tf, Operand<TFloat32> x, int dh, int dw, int height, int width) {
    return rollAxis(tf, rollAxis(tf, x, 1, dh, height), 2, dw, width);
  }

  private static Operand<TFloat32> rollAxis(Ops tf, Operand<TFloat32> x, int axis, int shift, int size) {
    int s = Math.floorMod(shift, size);
    if (s == 0) {
      return x;
    }
    // out[i] = x[(i - s) mod size]: the last s entries move to the front
    Operand<TFloat32> tail = tf.stridedSlice(x, sliceOn(axis, size - s, size));
    Operand<TFloat32> head = tf.stridedSlice(x, sliceOn(axis, 0, size - s));
    return tf.concat(List.of(tail, head), tf.constant(axis));
  }

  private static org.tensorflow.ndarray.index.Index[] sliceOn(int axis, long from, long to) {
    org.tensorflow.ndarray.index.Index[] index = new org.tensorflow.ndarray.index.Index[axis + 1];
    for (int a = 0; a < axis; a++) {
      index[a] = Indices.all();
    }
    index[axis] = Indices.slice(from, to);
    return index;
  }

  /** {@code [B, H, W, C] -> [B * windows, wh * ww, C]}, windows row-major (timm's {@code window_partition}). */
  static Operand<TFloat32> partition(Ops tf, Operand<TFloat32> x, int height, int width, int wh, int ww, int c) {
    Operand<TFloat32> y = tf.reshape(x, tf.constant(new long[] {-1, height / wh, wh, width / ww, ww, c}));
    y = tf.linalg.transpose(y, tf.constant(new int[] {0, 1, 3, 2, 4, 5}));
    return tf.reshape(y, tf.constant(new long[] {-1, (long) wh * ww, c}));
  }

  /** The inverse of {@link #partition}: {@code [B * windows, wh * ww, C] -> [B, H, W, C]}. */
  static Operand<TFloat32> reverse(Ops tf, Operand<TFloat32> windows, int height, int width, int wh, int ww, int c) {
    Operand<TFloat32> y = tf.reshape(windows, tf.constant(new long[] {-1, height / wh, width / ww, wh, ww, c}));
    y = tf.linalg.transpose(y, tf.constant(new int[] {0, 1, 3, 2, 4, 5}));
    return tf.reshape(y, tf.constant(new long[] {-1, height, width, c}));
  }
}

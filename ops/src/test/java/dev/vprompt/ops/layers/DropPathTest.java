package dev.vprompt.ops.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class DropPathTest {

  /** Each sample's branch is all zero or all scaled by 1 / keep; inference leaves it alone. */
  @Test
  void dropsWholeSamplesInTrainingOnly() {
    int batch = 64;
    int per = 6;
    float[] ones = new float[batch * per];
    Arrays.fill(ones, 1f);
    for (Mode mode : Mode.values()) {
      try (Graph g = new Graph(); Session s = new Session(g)) {
        Ops tf = Ops.create(g);
        BuildContext ctx = BuildContext.root(tf, new ParameterStore(tf, 1), mode);
        Operand<TFloat32> x = tf.constant(Shape.of(batch, 2, per / 2), org.tensorflow.ndarray.buffer.DataBuffers.of(ones));
        try (Result r = s.runner().fetch(new DropPath(0.5f).apply(ctx, x)).run()) {
          float[] y = Tensors.toFloats(r.get(0));
          if (!mode.training()) {
            assertArrayEquals(ones, y);
            continue;
          }
          int dropped = 0;
          for (int b = 0; b < batch; b++) {
            float first = y[b * per];
            assertTrue(first == 0f || first == 2f, "sample " + b + ": " + first);
            for (int k = 1; k < per; k++) {
              assertEquals(first, y[b * per + k], "one draw per sample");
            }
            dropped += first == 0f ? 1 : 0;
          }
          assertTrue(dropped > 10 && dropped < 54, dropped + " of 64 dropped at rate 0.5");
        }
      }
    }
    assertThrows(IllegalArgumentException.class, () -> new DropPath(1f));
  }
}

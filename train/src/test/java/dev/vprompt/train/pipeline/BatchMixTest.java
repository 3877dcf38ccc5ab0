package dev.vprompt.train.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import dev.vprompt.ops.loss.Losses;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Images whose every pixel is one value per image make each mixed pixel tell which images it came from
 * and in what proportion; the targets must tell the same proportion.
 */
class BatchMixTest {

  private static final int H = 8;
  private static final int W = 8;
  private static final int K = 10;
  private static final double SMOOTHING = BatchMix.INSVP.labelSmoothing();
  private static final double OFF = SMOOTHING / K;
  private static final double ON = 1 - SMOOTHING + OFF;

  /** One session, fed a step number per run. */
  private static final class Mixer implements AutoCloseable {
    final Graph graph = new Graph();
    final Session session;
    final Placeholder<TInt64> seed;
    final Operand<TFloat32> images;
    final Operand<TFloat32> targets;
    final int batch;

    Mixer(BatchMix mix, int batch) {
      this.batch = batch;
      Ops tf = Ops.create(graph);
      seed = tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
      BuildContext ctx = BuildContext.root(tf, new ParameterStore(tf, 1), Mode.TRAIN, seed);
      float[] pixels = new float[batch * H * W];
      int[] labels = new int[batch];
      for (int i = 0; i < batch; i++) {
        java.util.Arrays.fill(pixels, i * H * W, (i + 1) * H * W, i + 1);
        labels[i] = i;
      }
      Operand<TFloat32> x = tf.constant(Shape.of(batch, H, W, 1), org.tensorflow.ndarray.buffer.DataBuffers.of(pixels));
      Operand<TInt32> y = tf.constant(labels);
      Operand<TInt32> first = tf.constant(new int[] {0});
      BatchMix.Mixed mixed = mix.apply(ctx, x, tf.reverse(x, first), y, tf.reverse(y, first), K);
      images = tf.identity(mixed.images());
      targets = tf.identity(mixed.targets());
      session = new Session(graph);
    }

    float[][] run(long step) {
      try (TInt64 s = Tensors.longs(Shape.of(2), 7, step);
          Result r = session.runner().feed(seed, s).fetch(images).fetch(targets).run()) {
        return new float[][] {Tensors.toFloats(r.get(0)), Tensors.toFloats(r.get(1))};
      }
    }

    @Override
    public void close() {
      session.close();
      graph.close();
    }
  }

  /** The weight of the image's own label in its target: lam of {@code lam * on + (1 - lam) * off}. */
  private static double targetLam(float[] targets, int row, int label) {
    return (targets[row * K + label] - OFF) / (ON - OFF);
  }

  @Test
  void everyBatchIsUnmixedBlendedOrBoxedAndTheTargetsSayHowMuch() {
    int batch = 8;
    int unmixed = 0;
    int blended = 0;
    int boxed = 0;
    double lamSum = 0;
    try (Mixer mixer = new Mixer(BatchMix.INSVP, batch)) {
      for (long step = 0; step < 160; step++) {
        float[][] out = mixer.run(step);
        float[] images = out[0];
        float[] targets = out[1];
        double lam = targetLam(targets, 0, 0);
        for (int i = 0; i < batch; i++) {
          int partner = batch - 1 - i;
          double sum = 0;
          for (int k = 0; k < K; k++) {
            sum += targets[i * K + k];
          }
          assertEquals(1.0, sum, 1e-5, "targets sum to 1");
          assertEquals(lam, targetLam(targets, i, i), 1e-5, "one lam per batch");
          assertEquals(1 - lam, targetLam(targets, i, partner) + 0, 1e-5, "the partner takes the rest");
          int own = 0;
          int other = 0;
          for (int p = 0; p < H * W; p++) {
            float v = images[i * H * W + p];
            if (v == i + 1) {
              own++;
            } else if (v == partner + 1) {
              other++;
            } else {
              double pixelLam = (v - (partner + 1)) / (double) (i - partner);
              assertEquals(lam, pixelLam, 1e-5, "a blended pixel mixes as the target says");
            }
          }
          if (own + other == H * W && other > 0) {
            assertEquals(lam, own / (double) (H * W), 1e-6, "CutMix's lam is the box's true area");
          }
        }
        float first = images[0];
        boolean allOwn = true;
        boolean boxedBatch = false;
        for (int p = 0; p < H * W; p++) {
          allOwn &= images[p] == 1f;
          boxedBatch |= images[p] == batch;
        }
        if (allOwn) {
          unmixed++;
          assertEquals(1.0, lam, 1e-6, "an unmixed batch has smoothed one-hot targets");
        } else if (boxedBatch) {
          boxed++;
          assertBoxIsARectangle(images, batch);
        } else {
          blended++;
          lamSum += lam;
          assertTrue(first > 1f && first < batch, "blend of image 1 with image " + batch + ": " + first);
        }
      }
    }
    // prob 0.5 and switch 0.5 over 160 batches: each count's standard deviation is about 6 and 5.5
    assertEquals(80, unmixed, 25, "unmixed batches");
    assertEquals(40, blended, 22, "blended batches");
    assertEquals(40, boxed, 22, "boxed batches");
    assertEquals(0.5, lamSum / blended, 0.12, "Beta(0.8, 0.8) has mean 1/2");
  }

  private static void assertBoxIsARectangle(float[] images, int batch) {
    int top = H;
    int bottom = -1;
    int left = W;
    int right = -1;
    int count = 0;
    for (int r = 0; r < H; r++) {
      for (int c = 0; c < W; c++) {
        if (images[r * W + c] == batch) {
          top = Math.min(top, r);
          bottom = Math.max(bottom, r);
          left = Math.min(left, c);
          right = Math.max(right, c);
          count++;
        }
      }
    }
    assertEquals((bottom - top + 1) * (right - left + 1), count, "the pasted pixels form one box");
  }

  @Test
  void theSameStepSeedMixesTheSameWayAndAnOddBatchKeepsItsMiddleImage() {
    try (Mixer mixer = new Mixer(BatchMix.INSVP, 7)) {
      for (long step = 0; step < 12; step++) {
        float[][] a = mixer.run(step);
        assertArrayEquals(a[0], mixer.run(step)[0], 0f);
        assertArrayEquals(a[1], mixer.run(step)[1], 0f);
        for (int p = 0; p < H * W; p++) {
          assertEquals(4f, a[0][3 * H * W + p], 0f, "the middle row is its own partner");
        }
        assertEquals(ON, a[1][3 * K + 3], 1e-6);
      }
    }
  }

  @Test
  void withoutMixingOnlyLabelSmoothingRemains() {
    try (Mixer mixer = new Mixer(new BatchMix(0, 0, 0.5, 0.5, 0.2), 4)) {
      float[][] out = mixer.run(3);
      for (int i = 0; i < 4; i++) {
        for (int p = 0; p < H * W; p++) {
          assertEquals(i + 1f, out[0][i * H * W + p], 0f);
        }
        assertEquals(1 - 0.2 + 0.02, out[1][i * K + i], 1e-6);
        assertEquals(0.02, out[1][i * K + (i + 1) % K], 1e-6);
      }
    }
  }

  @Test
  void softCrossEntropyOnOneHotTargetsIsTheSparseLossAndHasAGradient() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> logits = tf.constant(new float[][] {{1f, 2f, 0.5f}, {0f, -1f, 3f}});
      Operand<TInt32> labels = tf.constant(new int[] {1, 0});
      Operand<TFloat32> soft = Losses.softCrossEntropySum(tf, logits,
          tf.oneHot(labels, tf.constant(3), tf.constant(1f), tf.constant(0f)));
      Operand<TFloat32> sparse = Losses.sparseCrossEntropySum(tf, logits, labels);
      List<Output<?>> gradient = List.of(graph.addGradients(soft.asOutput(), new Output<?>[] {logits.asOutput()}));
      try (Session session = new Session(graph);
          Result r = session.runner().fetch(soft).fetch(sparse).fetch(gradient.get(0)).run()) {
        assertEquals(Tensors.scalar(r.get(1)), Tensors.scalar(r.get(0)), 1e-6f);
        float[] g = Tensors.toFloats(r.get(2));
        // softmax - one-hot: each row sums to 0
        assertEquals(0f, g[0] + g[1] + g[2], 1e-6f);
        assertTrue(g[1] < 0 && g[3] < 0, "the true class's logit is pushed up");
      }
    }
  }
}

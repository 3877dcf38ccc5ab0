package dev.vprompt.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.prompts.FoldedPrompt;
import dev.vprompt.graph.prompts.baselines.LorVp;
import dev.vprompt.graph.prompts.baselines.VpPad;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/**
 * lor-vp and vp-pad add an image-independent field: their build returns a field, {@link
 * Classifier#promptField} equals the dense prompt worked out in Java, and the folded constant gives the
 * prompted model's logits (what export relies on).
 */
class InputSpacePromptsTest {

  private static final InputSpec INPUT = new InputSpec(8, 8, 3);
  private static final float[] MEAN = {0.1f, 0.2f, 0.3f};
  private static final float[] STD = {0.5f, 0.25f, 2f};
  private static final Shape BATCH = Shape.of(2, 8, 8, 3);

  private static float[] random(int size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      values[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return values;
  }

  /** The field of the prompted model of {@code spec}, and its logits with the prompt and folded. */
  private static void assertFieldAndFolding(ModelHarness model, ModelSpec spec, float[] expectedField) {
    float[] images = ModelHarness.randomImages(BATCH, 4);
    float[] field = model.run(Classifier.promptField(model.root, spec), BATCH, images);
    assertArrayEquals(expectedField, field, 1e-6f, spec.prompt().name() + " field");
    float[] logits = model.run(model.built.logits(), BATCH, images);
    ModelSpec folded = new ModelSpec(INPUT, 10, spec.backbone(), null,
        new FoldedPrompt(spec.prompt().name(), INPUT, field), spec.mean(), spec.std());
    float[] foldedLogits = model.run(Classifier.fromScaled(
        BuildContext.root(model.tf.withSubScope("folded"), model.params, Mode.INFER), folded, model.images).logits(),
        BATCH, images);
    assertArrayEquals(logits, foldedLogits, 1e-5f, spec.prompt().name() + " folded logits");
  }

  /** LoR-VP adds B A to the [0, 1] image; on the normalised image that is B A / std per channel. */
  @Test
  void lorVpIsLowRankPerChannelAndAddedBeforeNormalisation() {
    int rank = 2, h = 8, w = 8, channels = 3;
    ModelSpec spec = new ModelSpec(INPUT, 10, "cnn", null, new LorVp(rank, STD), MEAN, STD);
    try (var model = new ModelHarness(spec, Mode.INFER, 3)) {
      float[] b = random(channels * h * rank, 1);
      float[] a = random(channels * rank * w, 2);
      model.assign("prompt.lor-vp.b", b);
      model.assign("prompt.lor-vp.a", a);
      float[] pixels = new float[h * w * channels];
      float[] field = new float[h * w * channels];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int t = 0; t < rank; t++) {
              sum += (double) b[(c * h + y) * rank + t] * a[(c * rank + t) * w + x];
            }
            pixels[(y * w + x) * channels + c] = (float) sum;
            field[(y * w + x) * channels + c] = (float) (sum / STD[c]);
          }
        }
      }
      assertFieldAndFolding(model, spec, field);

      // (x + P - mean) / std, the reference code's order, equals what the backbone sees
      float[] images = ModelHarness.randomImages(BATCH, 6);
      float[] prompted = model.run(model.built.prompted(), BATCH, images);
      for (int i = 0; i < images.length; i++) {
        int c = i % channels;
        float expected = (images[i] + pixels[i % pixels.length] - MEAN[c]) / STD[c];
        assertEquals(expected, prompted[i], 1e-5f, "pixel " + i);
      }
    }
  }

  /** A frame of width 2 around an 8x8 image: rows 0-1 and 6-7 from top/bottom, columns 0-1 and 6-7 of rows 2-5 from left/right. */
  @Test
  void vpPadIsALearnableFrameAroundAZeroInterior() {
    int p = 2, h = 8, w = 8, channels = 3, inner = h - 2 * p;
    ModelSpec spec = new ModelSpec(INPUT, 10, "cnn", null, new VpPad(p), MEAN, STD);
    try (var model = new ModelHarness(spec, Mode.INFER, 3)) {
      float[] top = random(p * w * channels, 1);
      float[] bottom = random(p * w * channels, 2);
      float[] left = random(inner * p * channels, 3);
      float[] right = random(inner * p * channels, 4);
      model.assign("prompt.vp-pad.top", top);
      model.assign("prompt.vp-pad.bottom", bottom);
      model.assign("prompt.vp-pad.left", left);
      model.assign("prompt.vp-pad.right", right);
      float[] field = new float[h * w * channels];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int c = 0; c < channels; c++) {
            float value;
            if (y < p) {
              value = top[(y * w + x) * channels + c];
            } else if (y >= h - p) {
              value = bottom[((y - (h - p)) * w + x) * channels + c];
            } else if (x < p) {
              value = left[((y - p) * p + x) * channels + c];
            } else if (x >= w - p) {
              value = right[((y - p) * p + (x - (w - p))) * channels + c];
            } else {
              value = 0f;
            }
            field[(y * w + x) * channels + c] = value;
          }
        }
      }
      assertFieldAndFolding(model, spec, field);
      assertEquals(3L * (64 - 16), model.params.count("prompt."));
    }
  }
}

package dev.vprompt.graph.prompts;

import dev.vprompt.graph.prompts.baselines.DeepLorVp;
import dev.vprompt.graph.prompts.baselines.GroupedVp;
import dev.vprompt.graph.prompts.lotep.Lotep;
import dev.vprompt.graph.prompts.lotep.RankSchedule;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vprompt.graph.InputSpec;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/**
 * The dense prompt each deep prompt adds equals the same tensor computed by a plain Java loop from
 * factors set to known random values, on NHWC maps (the CNN's first two stages, a non-square image) and on
 * ViT tokens (patch tokens on the grid, class token untouched).
 */
class DensePromptTensorsTest {

  private static final InputSpec WIDE = new InputSpec(8, 16, 3);

  /** An input with a distinct value everywhere, so that a misplaced prompt value shows. */
  private static float[] ramp(int size) {
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = (i % 97) / 97f - 0.5f;
    }
    return x;
  }

  /** CP, eq. 7: P[c,h,w] = sum_t a[t,c] b[t,h] c[t,w]; returned NHWC. */
  private static float[] cp(float[] a, float[] b, float[] c, int rank, int channels, int height, int width) {
    float[] p = new float[height * width * channels];
    for (int h = 0; h < height; h++) {
      for (int w = 0; w < width; w++) {
        for (int ch = 0; ch < channels; ch++) {
          double sum = 0;
          for (int t = 0; t < rank; t++) {
            sum += (double) a[t * channels + ch] * b[t * height + h] * c[t * width + w];
          }
          p[(h * width + w) * channels + ch] = (float) sum;
        }
      }
    }
    return p;
  }

  /** Tucker, eq. 5: P[c,h,w] = sum core[t1,t2,t3] U[t1,c] V[t2,h] W[t3,w]; returned NHWC. */
  private static float[] tucker(float[] core, float[] u, float[] v, float[] wf, int r, int channels, int height, int width) {
    float[] p = new float[height * width * channels];
    for (int h = 0; h < height; h++) {
      for (int w = 0; w < width; w++) {
        for (int ch = 0; ch < channels; ch++) {
          double sum = 0;
          for (int t1 = 0; t1 < r; t1++) {
            for (int t2 = 0; t2 < r; t2++) {
              for (int t3 = 0; t3 < r; t3++) {
                sum += (double) core[(t1 * r + t2) * r + t3] * u[t1 * channels + ch] * v[t2 * height + h]
                    * wf[t3 * width + w];
              }
            }
          }
          p[(h * width + w) * channels + ch] = (float) sum;
        }
      }
    }
    return p;
  }

  /** The hook's output on NHWC maps must be x + P. */
  private static void assertAdded(float[] x, float[] prompt, float[] out, String what) {
    assertEquals(x.length, out.length, what);
    for (int i = 0; i < out.length; i++) {
      assertEquals(x[i] + prompt[i], out[i], 1e-5f, what + " at " + i);
    }
  }

  @Test
  void cpEqualsTheSumOfOuterProducts() {
    Lotep lotep = new Lotep(Lotep.Variant.CP, 3, 1.0, RankSchedule.CONSTANT, 0.02f);
    int[][] maps = {{0, 3, 8, 16}, {1, 32, 4, 8}};
    for (int[] m : maps) {
      int block = m[0], channels = m[1], height = m[2], width = m[3];
      try (var hook = new HookHarness(lotep, "cnn", WIDE, block, Shape.of(1, height, width, channels))) {
        String layer = "prompt.lotep-cp.layer" + block + ".";
        float[] a = hook.randomise(layer + "a", 1);
        float[] b = hook.randomise(layer + "b", 2);
        float[] c = hook.randomise(layer + "c", 3);
        float[] x = ramp(height * width * channels);
        assertAdded(x, cp(a, b, c, 3, channels, height, width), hook.run(x), "cp block " + block);
      }
    }
  }

  @Test
  void tuckerEqualsTheCoreTimesItsFactorMatrices() {
    Lotep lotep = new Lotep(Lotep.Variant.TUCKER, 3, 1.0, RankSchedule.CONSTANT, 0.02f);
    int[][] maps = {{0, 3, 8, 16}, {1, 32, 4, 8}};
    for (int[] m : maps) {
      int block = m[0], channels = m[1], height = m[2], width = m[3];
      try (var hook = new HookHarness(lotep, "cnn", WIDE, block, Shape.of(1, height, width, channels))) {
        String layer = "prompt.lotep-tk.layer" + block + ".";
        float[] core = hook.randomise(layer + "core", 1);
        float[] u = hook.randomise(layer + "u", 2);
        float[] v = hook.randomise(layer + "v", 3);
        float[] w = hook.randomise(layer + "w", 4);
        float[] x = ramp(height * width * channels);
        assertAdded(x, tucker(core, u, v, w, 3, channels, height, width), hook.run(x), "tucker block " + block);
      }
    }
  }

  /** vit-tiny on 8x16 has patch 2, a 4 x 8 grid: token 1 + 8i + j is cell (i, j); token 0 is the class token. */
  @Test
  void onVitTokensThePromptFollowsThePatchGridAndSparesTheClassToken() {
    int gh = 4, gw = 8, d = 192, tokens = 1 + gh * gw;
    for (Lotep.Variant variant : Lotep.Variant.values()) {
      Lotep lotep = new Lotep(variant, 2, 0.5, RankSchedule.CONSTANT, 0.02f);
      try (var hook = new HookHarness(lotep, "vit-tiny", WIDE, 2, Shape.of(1, tokens, d))) {
        String layer = "prompt." + lotep.name() + ".layer2.";
        float[] prompt = variant == Lotep.Variant.CP
            ? cp(hook.randomise(layer + "a", 1), hook.randomise(layer + "b", 2), hook.randomise(layer + "c", 3),
                2, d, gh, gw)
            : tucker(hook.randomise(layer + "core", 1), hook.randomise(layer + "u", 2),
                hook.randomise(layer + "v", 3), hook.randomise(layer + "w", 4), 2, d, gh, gw);
        float[] x = ramp(tokens * d);
        float[] out = hook.run(x);
        for (int c = 0; c < d; c++) {
          assertEquals(Float.floatToRawIntBits(x[c]), Float.floatToRawIntBits(out[c]), "class token channel " + c);
        }
        for (int i = 0; i < gh; i++) {
          for (int j = 0; j < gw; j++) {
            for (int c = 0; c < d; c++) {
              int token = 1 + i * gw + j;
              assertEquals(x[token * d + c] + prompt[(i * gw + j) * d + c], out[token * d + c], 1e-5f,
                  variant + " token " + token + " channel " + c);
            }
          }
        }
      }
    }
  }

  @Test
  void deepLorVpIsOneLowRankMatrixPerChannel() {
    int rank = 2, channels = 32, height = 4, width = 8;
    try (var hook = new HookHarness(new DeepLorVp(rank, 1.0), "cnn", WIDE, 1, Shape.of(1, height, width, channels))) {
      float[] b = hook.randomise("prompt.deep-lor-vp.layer1.b", 1);
      float[] a = hook.randomise("prompt.deep-lor-vp.layer1.a", 2);
      float[] prompt = new float[height * width * channels];
      for (int h = 0; h < height; h++) {
        for (int w = 0; w < width; w++) {
          for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int t = 0; t < rank; t++) {
              sum += (double) b[(c * height + h) * rank + t] * a[(c * rank + t) * width + w];
            }
            prompt[(h * width + w) * channels + c] = (float) sum;
          }
        }
      }
      float[] x = ramp(prompt.length);
      assertAdded(x, prompt, hook.run(x), "deep-lor-vp");
    }
  }

  /** eq. 3: channels 0..C/g-1 take group 0's map, the next C/g group 1's, and so on. */
  @Test
  void groupedVpSharesOneMapPerSequentialGroup() {
    int groups = 4, channels = 32, height = 4, width = 8, perGroup = channels / groups;
    try (var hook = new HookHarness(new GroupedVp(groups, 0.5), "cnn", new InputSpec(8, 16, 4), 1,
        Shape.of(1, height, width, channels))) {
      float[] maps = hook.randomise("prompt.grouped-vp.layer1.maps", 1);
      float[] prompt = new float[height * width * channels];
      for (int h = 0; h < height; h++) {
        for (int w = 0; w < width; w++) {
          for (int c = 0; c < channels; c++) {
            prompt[(h * width + w) * channels + c] = maps[((c / perGroup) * height + h) * width + w];
          }
        }
      }
      float[] x = ramp(prompt.length);
      assertAdded(x, prompt, hook.run(x), "grouped-vp");
    }
  }
}

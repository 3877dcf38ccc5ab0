package dev.vprompt.ops.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightMappingTest {

  private static float[] range(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = i;
    }
    return v;
  }

  /** A source with values 0, 1, 2, ... in every tensor. */
  private static WeightSource source(Map<String, long[]> shapes) {
    WeightSource s = WeightSource.shapesOnly("test.safetensors", shapes);
    return new WeightSource() {
      @Override
      public String description() {
        return s.description();
      }

      @Override
      public Map<String, long[]> shapes() {
        return s.shapes();
      }

      @Override
      public float[] floats(String name) {
        return range((int) Conversion.elements(s.shapes().get(name)));
      }
    };
  }

  @Test
  void convertsPyTorchLayoutsToTensorFlows() {
    // [out=2, in=3] -> [in, out]: element (o, i) = 3o + i lands at (i, o)
    assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5},
        Conversion.linear().apply(List.of(range(6)), List.of(new long[] {2, 3}), new long[] {3, 2}));
    // OIHW [O=2, I=1, H=1, W=2] -> HWIO [1, 2, 1, 2]: (o, w) = 2o + w lands at (w, o)
    assertArrayEquals(new float[] {0, 2, 1, 3},
        Conversion.conv().apply(List.of(range(4)), List.of(new long[] {2, 1, 1, 2}), new long[] {1, 2, 1, 2}));
    // the middle third of a fused [3d=6, d=1] qkv, transposed
    assertArrayEquals(new float[] {2, 3},
        Conversion.slice(1, 3, Conversion.linear()).apply(List.of(range(6)), List.of(new long[] {6, 1}), new long[] {1, 2}));
    // an RGB first conv summed to one input channel: [O=1, I=3, 1, 1]
    assertArrayEquals(new float[] {3},
        Conversion.convAdaptingInputChannels().apply(List.of(range(3)), List.of(new long[] {1, 3, 1, 1}),
            new long[] {1, 1, 1, 1}));
    assertEquals(null, Conversion.conv().check(List.of(new long[] {8, 3, 7, 7}), new long[] {7, 7, 3, 8}));
    assertTrue(Conversion.linear().check(List.of(new long[] {2, 3}), new long[] {2, 3}).contains("gives [3, 2]"));
  }

  @Test
  void permutationMatchesIndexArithmeticOnARank4Tensor() {
    long[] shape = {2, 3, 4, 5};
    float[] values = range(120);
    float[] hwio = Layouts.permute(values, shape, 2, 3, 1, 0);
    for (int o = 0; o < 2; o++) {
      for (int i = 0; i < 3; i++) {
        for (int h = 0; h < 4; h++) {
          for (int w = 0; w < 5; w++) {
            assertEquals(values[((o * 3 + i) * 4 + h) * 5 + w], hwio[((h * 5 + w) * 3 + i) * 2 + o]);
          }
        }
      }
    }
  }

  @Test
  void reportsEveryMissingUnusedMisShapedAndUnfilledNameAtOnce() {
    WeightMapping mapping = WeightMapping.builder()
        .linear("head", "fc")
        .batchNorm("bn", "bn1")
        .copy("extra", "not_in_file")
        .build();
    Map<String, long[]> file = new LinkedHashMap<>();
    file.put("fc.weight", new long[] {10, 4});
    file.put("fc.bias", new long[] {9});
    file.put("bn1.weight", new long[] {4});
    file.put("bn1.bias", new long[] {4});
    file.put("bn1.running_mean", new long[] {4});
    file.put("bn1.running_var", new long[] {4});
    file.put("bn1.num_batches_tracked", new long[] {});
    file.put("stray.weight", new long[] {3});
    Map<String, long[]> vars = new LinkedHashMap<>();
    vars.put("head.kernel", new long[] {4, 10});
    vars.put("head.bias", new long[] {10});
    for (String s : List.of("gamma", "beta", "moving_mean", "moving_variance")) {
      vars.put("bn." + s, new long[] {4});
    }
    vars.put("extra", new long[] {1});
    vars.put("lonely", new long[] {2});
    List<String> problems = mapping.problems(file, vars);
    assertEquals(List.of(
        "missing from the file: not_in_file (for extra [1])",
        "wrong shape: fc.bias -> head.bias: [9] gives [9] (copy), the variable is [10]",
        "unused by the model: stray.weight [3]",
        "not filled by any tensor: lonely [2]"), problems);
    WeightMappingException e = assertThrows(WeightMappingException.class,
        () -> mapping.check(WeightSource.shapesOnly("f.safetensors", file), vars));
    assertTrue(e.getMessage().startsWith("f.safetensors does not fit the model: 4 problems"), e.getMessage());
    assertEquals(problems, e.problems());
  }

  @Test
  void convertsEachVariableOnceWhenTheSourceFits() throws Exception {
    WeightMapping mapping = WeightMapping.builder().linear("head", "fc").build();
    Map<String, long[]> file = Map.of("fc.weight", new long[] {2, 3}, "fc.bias", new long[] {2});
    Map<String, long[]> vars = new LinkedHashMap<>();
    vars.put("head.kernel", new long[] {3, 2});
    vars.put("head.bias", new long[] {2});
    List<String> seen = new ArrayList<>();
    mapping.convert(source(file), vars, (target, shape, values) -> seen.add(target + "=" + java.util.Arrays.toString(values)));
    assertEquals(List.of("head.kernel=[0.0, 3.0, 1.0, 4.0, 2.0, 5.0]", "head.bias=[0.0, 1.0]"), seen);
  }

  @Test
  void stripsAWrapperPrefixOnlyWhenEveryNameHasIt() {
    assertEquals("module.", WeightSource.wrapperPrefix(List.of("module.a", "module.b")));
    assertEquals("model.", WeightSource.wrapperPrefix(List.of("model.a", "model.b")));
    assertEquals("", WeightSource.wrapperPrefix(List.of("model.a", "b")));
  }

  @Test
  void positionEmbeddingKeepsTheClassTokenAndResamplesTheGrid() throws IOException {
    int dim = 2;
    // 1 class token + a 4x4 grid; channel 0 constant 5, channel 1 a ramp along x
    float[] source = new float[(1 + 16) * dim];
    source[0] = 42;
    source[1] = -42;
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        source[(1 + y * 4 + x) * dim] = 5;
        source[(1 + y * 4 + x) * dim + 1] = x;
      }
    }
    PositionEmbedding same = new PositionEmbedding(1, 4, 4);
    assertArrayEquals(source, same.apply(List.of(source), List.of(new long[] {1, 17, dim}), new long[] {1, 17, dim}));
    PositionEmbedding up = new PositionEmbedding(1, 8, 6);
    long[] target = {1, 1 + 48, dim};
    assertEquals(null, up.check(List.of(new long[] {1, 17, dim}), target));
    float[] out = up.apply(List.of(source), List.of(new long[] {1, 17, dim}), target);
    assertEquals(42f, out[0]);
    assertEquals(-42f, out[1]);
    for (int i = 1; i < 49; i++) {
      // normalised weights keep a constant exactly (to rounding)
      assertEquals(5f, out[i * dim], 1e-5f);
    }
    // PyTorch F.interpolate(ramp 0..3 of width 4, size=6, mode='bicubic', antialias=True) at x = 0 and
    // 2 (interior: the cubic reproduces a linear ramp where no tap is cut off): (x + 0.5) * 4/6 - 0.5
    assertEquals(0.5 * 4 / 6 + 2 * 4.0 / 6 - 0.5, out[(1 + 2) * dim + 1], 1e-5);
    assertTrue(up.check(List.of(new long[] {1, 16, dim}), new long[] {1, 49, dim}) != null);
  }
}

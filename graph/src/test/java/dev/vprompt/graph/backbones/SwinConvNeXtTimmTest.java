package dev.vprompt.graph.backbones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.ops.weights.SafetensorsFile;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Swin and ConvNeXt against timm: the tiny fixtures (shifted windows in Swin's second blocks) give timm's
 * logits and pre-logits; a broken file is reported by name (the full-size manifests are in {@link
 * TimmManifestTest}).
 */
class SwinConvNeXtTimmTest {

  @ParameterizedTest
  @ValueSource(strings = {"swin-test", "convnext-test"})
  void matchesTimm(String fixture) throws Exception {
    TimmFixtures.assertMatchesTimm(fixture);
  }

  /**
   * A broken Swin file is reported by name; the derived buffers older files carry (and timm's checkpoint
   * filter drops) are not "unused". The fixture's own names, so that only a tiny graph is built.
   */
  @Test
  void aBrokenSwinFileIsReportedByName() throws Exception {
    Map<String, long[]> names = new TreeMap<>();
    try (SafetensorsFile file = SafetensorsFile.open(TimmFixtures.file("swin-test.safetensors"))) {
      file.entries().forEach((name, entry) -> names.put(name, entry.shape()));
    }
    String spec = "swin(patch=2,window=4,dim=16,depths=2-2,heads=2-4)";
    assertEquals(List.of(), TimmManifests.problems(spec, names, "head.fc.weight"));
    names.remove("layers.1.blocks.1.attn.relative_position_bias_table");
    names.put("layers.1.downsample.reduction.weight", new long[] {32, 32});
    names.put("layers.0.blocks.1.attn_mask", new long[] {16, 16, 16});
    names.put("layers.0.blocks.0.attn.relative_position_index", new long[] {16, 16});
    names.put("head.weight", new long[] {10, 32});
    List<String> problems = TimmManifests.problems(spec, names, "head.fc.weight");
    assertEquals(3, problems.size(), problems.toString());
    assertEquals("missing from the file: layers.1.blocks.1.attn.relative_position_bias_table"
        + " (for backbone.stage2.block2.attn.relative_position_bias_table [49, 4])", problems.get(0));
    assertTrue(problems.get(1).startsWith("wrong shape: layers.1.downsample.reduction.weight"), problems.get(1));
    assertEquals("unused by the model: head.weight [10, 32]", problems.get(2));
  }
}

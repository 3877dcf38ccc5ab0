package dev.vprompt.graph.backbones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Swin and ConvNeXt against timm: the tiny fixtures (shifted windows in Swin's second blocks) give timm's
 * logits and pre-logits; a broken full-size manifest is reported by name (the intact ones are in
 * {@link TimmManifestTest}).
 */
class SwinConvNeXtTimmTest {

  @ParameterizedTest
  @ValueSource(strings = {"swin-test", "convnext-test"})
  void matchesTimm(String fixture) throws Exception {
    TimmFixtures.assertMatchesTimm(fixture);
  }

  /** Older Swin files also carry the derived buffers timm's checkpoint filter drops: they are not "unused". */
  @Test
  void aBrokenSwinManifestIsReportedByName() throws Exception {
    Map<String, long[]> manifest = new TreeMap<>(TimmManifests.read("swin_base_patch4_window7_224"));
    manifest.remove("layers.2.blocks.17.attn.relative_position_bias_table");
    manifest.put("layers.3.downsample.reduction.weight", new long[] {1024, 1024});
    manifest.put("layers.0.blocks.1.attn_mask", new long[] {64, 49, 49});
    manifest.put("layers.0.blocks.0.attn.relative_position_index", new long[] {49, 49});
    manifest.put("head.weight", new long[] {1000, 1024});
    List<String> problems = TimmManifests.problems("swin-b", manifest, "head.fc.weight");
    assertEquals(3, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("missing from the file: layers.2.blocks.17.attn.relative_position_bias_table"
        + " (for backbone.stage3.block18.attn.relative_position_bias_table [169, 16])"), problems.get(0));
    assertTrue(problems.get(1).startsWith("wrong shape: layers.3.downsample.reduction.weight"), problems.get(1));
    assertEquals("unused by the model: head.weight [1000, 1024]", problems.get(2));
  }
}

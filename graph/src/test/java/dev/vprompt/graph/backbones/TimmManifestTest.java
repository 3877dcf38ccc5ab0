package dev.vprompt.graph.backbones;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The full-size mappings consume every name of the real checkpoints, with the right shapes, and fill every variable. */
class TimmManifestTest {

  @ParameterizedTest
  @CsvSource({
      "vit_base_patch16_224, vit-b16, head.weight",
      "vit_base_patch32_224, vit-b32, head.weight",
      "vit_tiny_patch16_224, vit-ti16, head.weight",
      "resnet18, resnet18-in, fc.weight",
      "resnet50, resnet50-in, fc.weight",
      "swin_base_patch4_window7_224, swin-b, head.fc.weight",
      "convnext_base, convnext-b, head.fc.weight"})
  void everyNameIsUsedWithItsShape(String timmName, String backbone, String head) throws Exception {
    Map<String, long[]> manifest = TimmManifests.read(timmName);
    assertEquals(List.of(), TimmManifests.problems(backbone, manifest, head));
  }

  @Test
  void aMismatchedManifestIsReportedByName() throws Exception {
    Map<String, long[]> manifest = new java.util.TreeMap<>(TimmManifests.read("resnet18"));
    manifest.remove("layer2.0.conv1.weight");
    manifest.put("layer4.1.bn2.weight", new long[] {256});
    manifest.put("stray.weight", new long[] {3});
    assertEquals(List.of(
        "missing from the file: layer2.0.conv1.weight (for backbone.stage2.block1.conv1.kernel [3, 3, 64, 128])",
        "wrong shape: layer4.1.bn2.weight -> backbone.stage4.block2.bn2.gamma: [256] gives [256] (copy), the variable is [512]",
        "unused by the model: stray.weight [3]"), TimmManifests.problems("resnet18-in", manifest, "fc.weight"));
    // ResNet-50's names do not fit ResNet-18: every extra and every missing tensor is listed
    List<String> crossed = TimmManifests.problems("resnet18-in", TimmManifests.read("resnet50"), "fc.weight");
    assertEquals(true, crossed.stream().anyMatch(p -> p.startsWith("unused by the model: layer1.0.conv3.weight")), crossed.toString());
  }
}

package dev.vprompt.graph.backbones;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** vprompt's ViT and ImageNet ResNets give timm's logits and pre-logits for timm's weights. */
class TimmEqualityTest {

  @ParameterizedTest
  @ValueSource(strings = {"vit-tiny-test", "resnet-basic-test", "resnet-bottleneck-test"})
  void matchesTimm(String fixture) throws Exception {
    TimmFixtures.assertMatchesTimm(fixture);
  }
}

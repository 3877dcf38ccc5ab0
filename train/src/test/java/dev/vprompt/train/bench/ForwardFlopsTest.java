package dev.vprompt.train.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.graph.prompts.baselines.NoPrompt;
import org.junit.jupiter.api.Test;

class ForwardFlopsTest {

  /**
   * The counts of the peer benchmarks' analytic formula (conv and FC multiply-adds, 2 FLOPs each):
   * cnn 28x28x1 = 2 * 37,123,840 and CIFAR ResNet-18 32x32x3 = 2 * 555,422,720.
   */
  @Test
  void countsWhatThePeersAnalyticFormulaCounts() {
    assertEquals(74_247_680, ForwardFlops.perImage(spec("cnn", "28x28x1")), 0.5);
    assertEquals(1_110_845_440, ForwardFlops.perImage(spec("resnet18", "32x32x3")), 0.5);
  }

  private static ModelSpec spec(String backbone, String input) {
    ModelSpec spec = ModelSpec.of(InputSpec.parse(input), 10, backbone, null, new NoPrompt());
    spec.createBackbone();
    return spec;
  }
}

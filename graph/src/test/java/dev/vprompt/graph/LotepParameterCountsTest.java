package dev.vprompt.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.graph.prompts.BlockInput;
import dev.vprompt.graph.prompts.BlockInputs;
import dev.vprompt.graph.prompts.LayeredPrompt;
import dev.vprompt.graph.prompts.lotep.LotepFamily;
import dev.vprompt.graph.prompts.PromptLayer;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Prompt parameter counts at 32x32x3 with the defaults (r0 = 6, rho = 0.5, cosine; g = 8; LoR-VP rank 4;
 * pad 4), pinned to the closed forms: CP {@code sum_l r_l (C_l + H_l + W_l)}, Tucker {@code sum_l r_l^3 +
 * r_l (C_l + H_l + W_l)}, grouped {@code sum_l g H_l W_l}, deep LoR-VP {@code sum_l C_l r (H_l + W_l)},
 * LoR-VP {@code C r (H + W)}, VP pad {@code C (HW - (H - 2p)(W - 2p))}.
 *
 * <p>ResNet-18 (L = 8, d = 4): ranks 6, 5, 3, 1 at block inputs [64,32,32] x 3 and [128,16,16].
 * ViT-Tiny (L = 12, d = 6): ranks 6, 6, 5, 3, 2, 1, every block input [192, 8, 8].
 */
class LotepParameterCountsTest {

  private static final InputSpec RGB = new InputSpec(32, 32, 3);

  @ParameterizedTest
  @CsvSource({
      // 6*128 + 5*128 + 3*128 + 1*160
      "resnet18,lotep-cp,1952",
      // (216 + 768) + (125 + 640) + (27 + 384) + (1 + 160)
      "resnet18,lotep-tk,2321",
      // (6 + 6 + 5 + 3 + 2 + 1) * 208
      "vit-tiny,lotep-cp,4784",
      // 4784 + 216 + 216 + 125 + 27 + 8 + 1
      "vit-tiny,lotep-tk,5377",
      // 8*1024*3 + 8*256
      "resnet18,grouped-vp,26624",
      // 6 * 8*64
      "vit-tiny,grouped-vp,3072",
      // 3 * 64*4*64 + 128*4*32
      "resnet18,deep-lor-vp,65536",
      // 6 * 192*4*16
      "vit-tiny,deep-lor-vp,73728",
      // 3*4*(32 + 32)
      "resnet18,lor-vp,768",
      "vit-tiny,lor-vp,768",
      // 3 * (1024 - 576)
      "resnet18,vp-pad,1344",
  })
  void countsMatchTheClosedForms(String backbone, String prompt, long expected) {
    ModelSpec spec = ModelSpec.of(RGB, 10, backbone, null, LotepFamily.defaults(prompt));
    assertEquals(expected, ParameterCounts.of(spec).prompt(), "built variables");
    List<PromptLayer> layers = ((LayeredPrompt) spec.prompt()).layers(RGB, spec.createBackbone());
    assertEquals(expected, layers.stream().mapToLong(PromptLayer::parameters).sum(), "listed layers");
  }

  @Test
  void layersListTheRanksAndShapesOfEveryPromptedBlock() {
    Backbone resnet = dev.vprompt.graph.backbones.Backbones.create("resnet18", RGB, null);
    List<PromptLayer> cp = ((LayeredPrompt) LotepFamily.defaults("lotep-cp")).layers(RGB, resnet);
    assertArrayEquals(new int[] {6, 5, 3, 1}, cp.stream().mapToInt(PromptLayer::rank).toArray());
    assertArrayEquals(new int[] {64, 64, 64, 128}, cp.stream().mapToInt(PromptLayer::channels).toArray());
    assertArrayEquals(new int[] {32, 32, 32, 16}, cp.stream().mapToInt(PromptLayer::height).toArray());
    assertArrayEquals(new long[] {768, 640, 384, 160}, cp.stream().mapToLong(PromptLayer::parameters).toArray());
    Backbone vit = dev.vprompt.graph.backbones.Backbones.create("vit-tiny", RGB, null);
    List<PromptLayer> tk = ((LayeredPrompt) LotepFamily.defaults("lotep-tk")).layers(RGB, vit);
    assertArrayEquals(new int[] {6, 6, 5, 3, 2, 1}, tk.stream().mapToInt(PromptLayer::rank).toArray());
    assertArrayEquals(new long[] {1464, 1464, 1165, 651, 424, 209},
        tk.stream().mapToLong(PromptLayer::parameters).toArray());
  }

  /** The maps the hook sees, probed from the backbones. */
  @Test
  void blockInputsAreTheActivationsTheHookSees() {
    assertEquals(List.of(map(0, 64, 32), map(1, 64, 32), map(2, 64, 32), map(3, 128, 16), map(4, 128, 16),
            map(5, 256, 8), map(6, 256, 8), map(7, 512, 4)),
        BlockInputs.of(RGB, dev.vprompt.graph.backbones.Backbones.create("resnet18", RGB, null)));
    assertEquals(List.of(map(0, 3, 32), map(1, 32, 16), map(2, 64, 8), map(3, 128, 4)),
        BlockInputs.of(RGB, dev.vprompt.graph.backbones.Backbones.create("cnn", RGB, null)));
    List<BlockInput> vit = BlockInputs.of(RGB, dev.vprompt.graph.backbones.Backbones.create("vit-tiny", RGB, null));
    assertEquals(12, vit.size());
    for (int b = 0; b < 12; b++) {
      assertEquals(map(b, 192, 8), vit.get(b));
    }
  }

  private static BlockInput map(int block, int channels, int side) {
    return new BlockInput(block, channels, side, side);
  }
}

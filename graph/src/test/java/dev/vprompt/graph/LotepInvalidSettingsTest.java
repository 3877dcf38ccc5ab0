package dev.vprompt.graph;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.prompts.baselines.DeepLorVp;
import dev.vprompt.graph.prompts.baselines.GroupedVp;
import dev.vprompt.graph.prompts.baselines.LorVp;
import dev.vprompt.graph.prompts.lotep.Lotep;
import dev.vprompt.graph.prompts.Prompt;
import dev.vprompt.graph.prompts.lotep.RankSchedule;
import dev.vprompt.graph.prompts.baselines.VpPad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Settings that cannot work fail in Java, with a message naming the problem, before TensorFlow sees a shape. */
class LotepInvalidSettingsTest {

  private static final InputSpec RGB = new InputSpec(32, 32, 3);

  private static void rejects(String fragment, Executable executable) {
    var e = assertThrows(IllegalArgumentException.class, executable);
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  private static void rejectsOn(String fragment, String backbone, Prompt prompt) {
    rejects(fragment, () -> ModelSpec.of(RGB, 10, backbone, null, prompt).createBackbone());
  }

  private static Lotep cp(int rank0, double rho) {
    return new Lotep(Lotep.Variant.CP, rank0, rho, RankSchedule.COSINE, 0.02f);
  }

  @Test
  void outOfRangeOptions() {
    rejects("rho must be in (0, 1]", () -> cp(6, 0));
    rejects("rho must be in (0, 1]", () -> cp(6, 1.5));
    rejects("rho must be in (0, 1]", () -> new GroupedVp(8, -0.1));
    rejects("rho must be in (0, 1]", () -> new DeepLorVp(4, 2));
    rejects("r0 must be at least 1", () -> cp(0, 0.5));
    rejects("init std", () -> new Lotep(Lotep.Variant.TUCKER, 6, 0.5, RankSchedule.COSINE, -1f));
    rejects("at least 1 group", () -> new GroupedVp(0, 0.5));
    rejects("rank must be at least 1", () -> new DeepLorVp(0, 0.5));
    rejects("rank must be at least 1", () -> new LorVp(0, null));
    rejects("at least 1 pixel", () -> new VpPad(0));
    rejects("unknown rank schedule", () -> RankSchedule.parse("step"));
  }

  @Test
  void settingsThatDoNotFitTheBackbone() {
    rejectsOn("do not divide the 64 channels", "resnet18", new GroupedVp(5, 0.5));
    rejectsOn("do not divide the 3 channels of block 0", "cnn", new GroupedVp(8, 0.5));
    rejectsOn("do not divide the 192 channels", "vit-tiny", new GroupedVp(7, 0.5));
    rejectsOn("= 0 blocks", "cnn", cp(6, 0.2));
    rejectsOn("= 0 blocks", "vit-tiny", new DeepLorVp(4, 0.05));
    rejectsOn("at least half the image", "resnet18", new VpPad(16));
    rejects("3 normalisation stds for 1 channels", () -> ModelSpec.of(new InputSpec(28, 28, 1), 10, "cnn", null,
        new LorVp(4, new float[] {1, 1, 1})).createBackbone());
  }
}

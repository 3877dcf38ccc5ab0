package dev.vprompt.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.prompts.msvp.Msvp;
import dev.vprompt.graph.prompts.msvp.Msvp.Fusion;
import dev.vprompt.graph.prompts.msvp.Msvp.Scales;
import dev.vprompt.graph.prompts.baselines.NoPrompt;
import dev.vprompt.graph.prompts.Prompt;
import org.junit.jupiter.api.Test;

/** Counts pinned to closed forms, so that no backbone silently becomes another network. */
class ParameterCountsTest {

  private static final InputSpec RGB = new InputSpec(32, 32, 3);
  private static final InputSpec GREY = new InputSpec(28, 28, 1);

  private static ParameterCounts count(InputSpec input, String backbone, Prompt prompt) {
    return ParameterCounts.of(ModelSpec.of(input, 10, backbone, null, prompt));
  }

  @Test
  void msvpAddsTheParametersOfEquationTen() {
    assertEquals(243, count(RGB, "cnn", Msvp.defaults()).prompt());
    assertEquals(81, count(GREY, "cnn", Msvp.defaults()).prompt());
    assertEquals(3, count(RGB, "cnn", new Msvp(Scales.GLOBAL, Fusion.ADD, 4, 8, 0.01f)).prompt());
    assertEquals(51, count(RGB, "cnn", new Msvp(Scales.GLOBAL_MID, Fusion.ADD, 4, 8, 0.01f)).prompt());
    assertEquals(243 + 3, count(RGB, "cnn", new Msvp(Scales.FULL, Fusion.GATED, 4, 8, 0.01f)).prompt());
    // eq. 10: C(1 + Sm^2 + Sl^2) + (4C^2 + C)
    assertEquals(243 + 4 * 9 + 3, count(RGB, "cnn", new Msvp(Scales.FULL, Fusion.CONCAT, 4, 8, 0.01f)).prompt());
    assertEquals(81 + 4 + 1, count(GREY, "cnn", new Msvp(Scales.FULL, Fusion.CONCAT, 4, 8, 0.01f)).prompt());
    for (Fusion fusion : Fusion.values()) {
      Msvp msvp = new Msvp(Scales.FULL, fusion, 4, 8, 0.01f);
      assertEquals(msvp.parameterCount(3), count(RGB, "resnet18", msvp).prompt(), fusion.label());
    }
  }

  @Test
  void cnnMatchesTheReferenceLayout() {
    ParameterCounts counts = count(RGB, "cnn", new NoPrompt());
    long convs = 3 * 9 * 32 + 32 * 9 * 32 + 32 * 9 * 64 + 64 * 9 * 64
        + 64 * 9 * 128 + 128 * 9 * 128 + 128 * 9 * 256 + 256 * 9 * 256;
    long norms = 2 * 2 * (32 + 64 + 128 + 256);
    assertEquals(convs + norms + 256 * 128 + 128, counts.backbone());
    assertEquals(128 * 10 + 10, counts.head());
    assertEquals(1_207_402, counts.total());
    assertEquals(0, counts.prompt());
  }

  @Test
  void resnet18IsTheCifarResNet18() {
    assertEquals(11_173_962, count(RGB, "resnet18", new NoPrompt()).total());
    assertEquals(11_173_962 - 2 * 9 * 64, count(GREY, "resnet18", new NoPrompt()).total());
  }

  @Test
  void vitTinyHasItsClosedFormCount() {
    long block = 2 * 2 * 192 + (192 * 576 + 576) + (192 * 192 + 192) + (192 * 768 + 768) + (768 * 192 + 192);
    long rgb = (4 * 4 * 3 * 192 + 192) + 192 + 65 * 192 + 12 * block + 2 * 192 + 192 * 10 + 10;
    ParameterCounts counts = count(RGB, "vit-tiny", new NoPrompt());
    assertEquals(rgb, counts.total());
    assertTrue(counts.total() > 5_000_000 && counts.total() < 5_600_000);
    long grey = (7 * 7 * 192 + 192) + 192 + 17 * 192 + 12 * block + 2 * 192 + 192 * 10 + 10;
    assertEquals(grey, count(GREY, "vit-tiny", new NoPrompt()).total());
  }

  @Test
  void overheadIsThePromptOverTheUnpromptedModel() {
    ParameterCounts counts = count(RGB, "cnn", Msvp.defaults());
    assertEquals(100.0 * 243 / 1_207_402, counts.promptOverheadPercent(), 1e-9);
    // 0.0201%: Table II's "<0.02%" for the CNN is a rounding of this
    assertEquals(0.0201, counts.promptOverheadPercent(), 5e-5);
    assertEquals(counts.total(), counts.trainable());
    assertEquals(0, counts.frozen());
  }
}

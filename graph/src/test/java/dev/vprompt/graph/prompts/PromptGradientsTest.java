package dev.vprompt.graph.prompts;

import dev.vprompt.ops.Decay;
import dev.vprompt.graph.prompts.baselines.DeepLorVp;
import dev.vprompt.graph.prompts.baselines.GroupedVp;
import dev.vprompt.graph.prompts.baselines.LorVp;
import dev.vprompt.graph.prompts.baselines.VpPad;
import dev.vprompt.graph.prompts.lotep.Lotep;
import dev.vprompt.graph.prompts.lotep.RankSchedule;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.graph.backbones.Backbones;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Init;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.check.GradientChecker;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/**
 * Symbolic gradients of each prompt against finite differences, for the block input and every factor.
 * The zero-initialised factors are first created with N(0, 0.5) values (the prompt then reuses them by
 * name): at zero, the other factors' gradients are zero and the check would say little.
 */
class PromptGradientsTest {

  /** cnn's block 0 input is the image itself: a small NHWC map. */
  private static final InputSpec IMAGE = new InputSpec(8, 8, 3);
  /** vit-tiny on 8x8 takes patch 2: 1 + 16 tokens of width 192. */
  private static final Shape VIT_TOKENS = Shape.of(2, 17, 192);

  private static GradientChecker.Report check(Prompt prompt, String backboneName, Shape blockInput,
      Map<String, Shape> nonZeroFactors) {
    Backbone backbone = Backbones.create(backboneName, IMAGE, null);
    return GradientChecker.standard().check(blockInput, Mode.TRAIN, 3, (ctx, x) -> {
      BuildContext layer = ctx.child("prompt").child(prompt.name()).child("layer0");
      nonZeroFactors.forEach((name, shape) -> layer.weight(name, shape, Init.normal(0.5f), Decay.NOT_DECAYED));
      return prompt.build(ctx.child("prompt"), x, backbone).hook().beforeBlock(0, x);
    });
  }

  private static void assertPassed(GradientChecker.Report report, String prompt, String... factors) {
    assertTrue(report.passed(), prompt + ": " + report);
    for (String factor : factors) {
      assertTrue(report.targets().contains("prompt." + prompt + ".layer0." + factor), report.targets().toString());
    }
  }

  private static Map<String, Shape> factors(Object... nameShape) {
    Map<String, Shape> map = new LinkedHashMap<>();
    for (int i = 0; i < nameShape.length; i += 2) {
      map.put((String) nameShape[i], (Shape) nameShape[i + 1]);
    }
    return map;
  }

  @Test
  void lotepCpOnMapsAndTokens() {
    Lotep cp = new Lotep(Lotep.Variant.CP, 2, 1.0, RankSchedule.CONSTANT, 0.5f);
    assertPassed(check(cp, "cnn", Shape.of(2, 8, 8, 3), factors("a", Shape.of(2, 3))), cp.name(), "a", "b", "c");
    assertPassed(check(cp, "vit-tiny", VIT_TOKENS, factors("a", Shape.of(2, 192))), cp.name(), "a", "b", "c");
  }

  @Test
  void lotepTuckerOnMapsAndTokens() {
    Lotep tk = new Lotep(Lotep.Variant.TUCKER, 2, 1.0, RankSchedule.CONSTANT, 0.5f);
    assertPassed(check(tk, "cnn", Shape.of(2, 8, 8, 3), factors("u", Shape.of(2, 3))), tk.name(),
        "core", "u", "v", "w");
    assertPassed(check(tk, "vit-tiny", VIT_TOKENS, factors("u", Shape.of(2, 192))), tk.name(),
        "core", "u", "v", "w");
  }

  @Test
  void deepBaselines() {
    DeepLorVp lor = new DeepLorVp(2, 1.0);
    assertPassed(check(lor, "cnn", Shape.of(2, 8, 8, 3), factors("b", Shape.of(3, 8, 2))), lor.name(), "a", "b");
    GroupedVp grouped = new GroupedVp(3, 1.0);
    assertPassed(check(grouped, "cnn", Shape.of(2, 8, 8, 3), factors("maps", Shape.of(3, 8, 8))), grouped.name(),
        "maps");
  }

  @Test
  void inputSpaceBaselines() {
    LorVp lor = new LorVp(2, new float[] {0.5f, 0.25f, 2f});
    var report = GradientChecker.standard().check(Shape.of(2, 6, 6, 3), Mode.TRAIN, 3, (ctx, x) -> {
      ctx.child("prompt").child(LorVp.NAME).weight("b", Shape.of(3, 6, 2), Init.normal(0.5f), Decay.NOT_DECAYED);
      return lor.apply(ctx.child("prompt"), x);
    });
    assertTrue(report.passed(), report.toString());
    assertTrue(report.targets().contains("prompt.lor-vp.b") && report.targets().contains("prompt.lor-vp.a"));
    VpPad pad = new VpPad(2);
    report = GradientChecker.standard().check(Shape.of(2, 6, 7, 2), Mode.TRAIN, 3,
        (ctx, x) -> pad.apply(ctx.child("prompt"), x));
    assertTrue(report.passed(), report.toString());
    assertTrue(report.targets().containsAll(java.util.List.of(
        "prompt.vp-pad.top", "prompt.vp-pad.bottom", "prompt.vp-pad.left", "prompt.vp-pad.right")));
  }
}

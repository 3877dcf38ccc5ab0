package dev.vprompt.graph;

import dev.vprompt.ops.TestSessions;
import dev.vprompt.ops.Decay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.prompts.insvp.InsVp;
import dev.vprompt.graph.prompts.insvp.Level;
import dev.vprompt.graph.prompts.insvp.Part;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Init;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import dev.vprompt.ops.check.GradientChecker;
import dev.vprompt.ops.loss.Losses;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** InsVP's prompters learn: finite, non-zero gradients that agree with finite differences. */
class InsVpGradientsTest {

  /**
   * Every InsVP variable, the specific prompter's included (the reference code never trains it), gets a
   * finite non-zero gradient from the loss of one training step.
   */
  @ParameterizedTest
  @ValueSource(strings = {"32x32x3", "28x28x1"})
  void everyPartGetsAFiniteNonZeroGradientInATrainingStep(String input) {
    InputSpec in = InputSpec.parse(input);
    ModelSpec spec = ModelSpec.of(in, 10, "vit-tiny", null, InsVp.defaults());
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore params = new ParameterStore(tf, 7);
      var images = tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(in)));
      var built = Classifier.fromScaled(BuildContext.root(tf.withSubScope("train"), params, Mode.TRAIN), spec, images);
      Operand<TFloat32> loss = Losses.sparseCrossEntropy(tf, built.logits(), tf.constant(new int[] {0, 1, 2, 3}));
      List<Parameter> prompt = params.select(p -> p.name().startsWith("prompt.insvp."));
      assertEquals(4 + 4 + 12 + 8, prompt.size(), "global 4, patch 4, common 12, specific 8 variables");
      for (String part : new String[] {"global.", "patch.", "common.", "specific.conv1.", "specific.fc."}) {
        assertTrue(prompt.stream().anyMatch(p -> p.name().startsWith("prompt.insvp." + part)), part);
      }
      Output<?>[] grads = graph.addGradients(loss.asOutput(),
          prompt.stream().map(p -> p.variable().asOutput()).toArray(Output[]::new));
      Shape batch = Shape.of(4, in.height(), in.width(), in.channels());
      try (Session session = TestSessions.open(graph);
          TFloat32 feed = Tensors.floats(batch, ModelHarness.randomImages(batch, 11))) {
        session.initialize();
        Session.Runner runner = session.runner().feed(images, feed);
        for (Output<?> g : grads) {
          runner.fetch(g);
        }
        try (Result result = runner.run()) {
          for (int i = 0; i < grads.length; i++) {
            String name = prompt.get(i).name();
            double norm = 0;
            for (float v : Tensors.toFloats(result.get(i))) {
              assertTrue(Float.isFinite(v), name);
              norm += (double) v * v;
            }
            assertTrue(norm > 0, name + " got a zero gradient");
          }
        }
      }
    }
  }

  /**
   * The image-level prompters against finite differences, in training mode (dropout on, fixed masks).
   * The last layers are created first at a larger scale than InsVP's near-zero start, which the
   * prompt then reuses by name: otherwise the first layers' gradients would sit below the tolerance.
   */
  @Test
  void imagePromptersMatchFiniteDifferences() {
    InsVp insvp = new InsVp(Level.IMAGE.parts(), 0.7f, 0.5f, 9, null, 3, 5, 4, 4, 2, 0.2f);
    var report = GradientChecker.standard().check(Shape.of(2, 8, 8, 2), Mode.TRAIN, 5,
        (BuildContext ctx, Operand<TFloat32> x) -> {
          ctx.weight("insvp.global.conv2.kernel", Shape.of(3, 3, 3, 2), Init.normal(0.3f), Decay.DECAYED);
          ctx.weight("insvp.patch.fc2.kernel", Shape.of(5, 4 * 4 * 2), Init.normal(0.3f), Decay.DECAYED);
          return insvp.apply(ctx, x);
        });
    assertTrue(report.passed(), report.toString());
    for (String target : new String[] {"input", "insvp.global.conv1.kernel", "insvp.global.conv1.bias",
        "insvp.global.conv2.bias", "insvp.patch.fc1.kernel", "insvp.patch.fc2.kernel"}) {
      assertTrue(report.targets().contains(target), target + " in " + report.targets());
    }
  }

  /** Each image prompter alone, and their b_I mix, in inference mode. */
  @Test
  void eachImagePartAloneMatchesFiniteDifferences() {
    for (Set<Part> parts : List.of(EnumSet.of(Part.PATCH), EnumSet.of(Part.GLOBAL))) {
      InsVp insvp = new InsVp(parts, 0.3f, 0.5f, 9, null, 4, 6, 4, 2, 1, 0f);
      var report = GradientChecker.standard().check(Shape.of(1, 6, 6, 3), Mode.INFER, 9,
          (BuildContext ctx, Operand<TFloat32> x) -> insvp.apply(ctx, x));
      assertTrue(report.passed(), parts + ": " + report);
    }
  }

  /**
   * The whole prompted ViT, feature prompts included, against finite differences (small input): every
   * variable at one coordinate (the 12 blocks and their prompts repeat one code each).
   */
  @Test
  void wholePromptedVitMatchesFiniteDifferences() {
    InputSpec in = new InputSpec(8, 8, 1);
    InsVp insvp = new InsVp(Level.BOTH.parts(), 0.7f, 0.5f, 2, 3, 3, 4, 4, null, 2, 0.1f);
    ModelSpec spec = ModelSpec.of(in, 3, "vit-tiny", 4, insvp);
    var checker = new GradientChecker(1e-3, 2e-3, 5e-2, 1);
    var report = checker.check(Shape.of(2, 8, 8, 1), Mode.INFER, 8,
        (ctx, x) -> Classifier.fromScaled(ctx, spec, x).logits());
    assertTrue(report.passed(), report.toString());
    assertTrue(report.targets().contains("prompt.insvp.specific.fc.kernel"), report.targets().toString());
    assertTrue(report.targets().contains("prompt.insvp.common.block3"), report.targets().toString());
  }
}

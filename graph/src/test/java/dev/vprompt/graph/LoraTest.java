package dev.vprompt.graph;

import dev.vprompt.ops.TestSessions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.backbones.Backbones;
import dev.vprompt.graph.backbones.TimmVit;
import dev.vprompt.graph.prompts.Prompts;
import dev.vprompt.graph.prompts.lora.Lora;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import dev.vprompt.ops.loss.Losses;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** LoRA's defaults, its closed form against the LoTeP paper's count, and its start as the frozen backbone. */
class LoraTest {

  private static final InputSpec INPUT = new InputSpec(12, 12, 3);
  private static final String VIT = "vit(patch=4,dim=16,depth=2,heads=2)";

  @Test
  void theDefaultsArePeftsAndTheLotepPapersAndCountAsItsTable4() {
    Lora lora = (Lora) Prompts.create("lora");
    assertEquals(8, lora.rank());
    assertEquals(1f, lora.scaling(), "alpha / r = 8 / 8");
    assertEquals(List.of("q", "v"), lora.targets());
    // LoTeP Table 4: LoRA on ViT-B/16, Tiny-ImageNet, 449K tunable parameters = LoRA + the 200-class head
    TimmVit vitB16 = TimmVit.variant("vit-b16", new InputSpec(224, 224, 3));
    assertEquals(12L * 2 * (2 * 8 * 768), lora.parameterCount(vitB16));
    long tunable = lora.parameterCount(vitB16) + 768L * 200 + 200;
    assertEquals(449, Math.round(tunable / 1000.0), "449K: " + tunable);
  }

  @Test
  void badSettingsAndBackbonesWithoutAttentionAreRefusedByName() {
    assertEquals("lora-rank", assertThrows(InvalidOptionException.class,
        () -> new Lora(0, 8, List.of("q"))).option());
    assertEquals("lora-alpha", assertThrows(InvalidOptionException.class,
        () -> new Lora(8, Double.NaN, List.of("q"))).option());
    assertEquals("lora-targets", assertThrows(InvalidOptionException.class,
        () -> new Lora(8, 8, List.of("q", "o"))).option());
    assertEquals("lora-targets", assertThrows(InvalidOptionException.class,
        () -> new Lora(8, 8, List.of("v", "v"))).option());
    assertEquals("lora-rank", assertThrows(InvalidOptionException.class,
        () -> ModelSpec.of(INPUT, 3, VIT, null, new Lora(17, 8, List.of("q"))).createBackbone()).option());
    var cnn = assertThrows(IllegalArgumentException.class,
        () -> ModelSpec.of(INPUT, 3, "resnet18", null, Prompts.create("lora")).createBackbone());
    assertTrue(cnn.getMessage().contains("resnet18 has no attention"), cnn.getMessage());
    assertTrue(Backbones.NAMES.contains("resnet18"));
  }

  /**
   * With B = 0 the model is exactly the backbone, B's gradient is not zero and A's is (issue 12's lesson:
   * so weight decay must stay off A, which --decay except-prompt does for every prompt.* variable).
   */
  @Test
  void itStartsAsTheBackboneWithOnlyBLearningAtFirst() {
    ModelSpec lora = ModelSpec.of(INPUT, 3, VIT, null, new Lora(2, 4, List.of("q", "k", "v")));
    ModelSpec none = ModelSpec.of(INPUT, 3, VIT, null, Prompts.create("none"));
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore params = new ParameterStore(tf, 5, name -> name.startsWith("backbone."));
      var images = tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(INPUT)));
      Operand<TFloat32> adapted = Classifier.fromScaled(BuildContext.root(tf.withSubScope("lora"), params, Mode.INFER),
          lora, images).logits();
      Operand<TFloat32> plain = Classifier.fromScaled(BuildContext.root(tf.withSubScope("none"), params, Mode.INFER),
          none, images).logits();
      Operand<TFloat32> loss = Losses.sparseCrossEntropy(tf, adapted, tf.constant(new int[] {1, 2}));
      List<Parameter> factors = params.trainable().stream().filter(p -> p.name().startsWith("prompt.lora.")).toList();
      assertEquals(2 * 3 * 2, factors.size(), "A and B for q, k, v of two blocks");
      Output<?>[] gradients = graph.addGradients(loss.asOutput(),
          factors.stream().map(p -> p.variable().asOutput()).toArray(Output[]::new));
      Shape batch = Shape.of(2, 12, 12, 3);
      try (Session session = TestSessions.open(graph); TFloat32 feed = Tensors.floats(batch, ModelHarness.randomImages(batch, 9))) {
        session.initialize();
        Session.Runner runner = session.runner().feed(images, feed).fetch(adapted).fetch(plain);
        for (Output<?> g : gradients) {
          runner.fetch(g);
        }
        try (Result result = runner.run()) {
          assertArrayEquals(Tensors.toFloats(result.get(1)), Tensors.toFloats(result.get(0)), 0f, "B = 0: the backbone");
          for (int i = 0; i < factors.size(); i++) {
            double largest = 0;
            for (float v : Tensors.toFloats(result.get(2 + i))) {
              largest = Math.max(largest, Math.abs(v));
            }
            String name = factors.get(i).name();
            if (name.endsWith(".a")) {
              assertEquals(0, largest, name + ": no data gradient while B = 0");
            } else {
              assertTrue(largest > 0, name + " learns from the first step");
            }
          }
        }
      }
    }
  }
}

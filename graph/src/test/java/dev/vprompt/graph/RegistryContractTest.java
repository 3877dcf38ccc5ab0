package dev.vprompt.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.graph.backbones.Backbones;
import dev.vprompt.graph.prompts.Contribution;
import dev.vprompt.graph.prompts.Prompt;
import dev.vprompt.graph.prompts.PromptFamily;
import dev.vprompt.graph.prompts.PromptOption;
import dev.vprompt.graph.prompts.PromptSettings;
import dev.vprompt.graph.prompts.Prompts;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import dev.vprompt.ops.loss.Losses;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * The contract every registered prompt keeps with every registered backbone (timm's registry-wide
 * tests), on a 12x12x3 input, so a new family is checked by registering it.
 */
class RegistryContractTest {

  /** Small, yet large enough for every prompt's defaults (vp-pad's 4-pixel frame needs more than 8x8). */
  private static final InputSpec INPUT = new InputSpec(12, 12, 3);
  private static final Shape BATCH = Shape.of(2, 12, 12, 3);

  /**
   * Every prompt with the first variant of every backbone family (the variants of a family share their
   * code; BackbonesTest takes every variant).
   */
  static Stream<Arguments> promptsAndBackbones() {
    List<Arguments> pairs = new ArrayList<>();
    for (String prompt : Prompts.NAMES) {
      for (var family : Backbones.FAMILIES) {
        pairs.add(Arguments.of(prompt, family.names().get(0)));
      }
    }
    return pairs.stream();
  }

  /**
   * Every pair, forward only: the prompt builds once; its contribution is consistent; the backbone reports
   * every block's input and output; logits are finite and the same through {@code conv(x) + conv(F)} as
   * through {@code conv(x + F)}.
   */
  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("promptsAndBackbones")
  void buildsOnceIntoAClassifierOrFailsEarly(String promptName, String backboneName) {
    ModelSpec spec = ModelSpec.of(INPUT, 3, backboneName, null, PromptSettings.of(promptName).create());
    Backbone backbone;
    try {
      backbone = spec.createBackbone();
    } catch (IllegalArgumentException e) {
      assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "a rejection says why");
      return;
    }
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore params = new ParameterStore(tf, 7);
      var pixels = tf.placeholder(TUint8.class, Placeholder.shape(Classifier.batchShape(INPUT)));
      Classifier.Built fused = Classifier.fromPixels(BuildContext.root(tf.withSubScope("fused"), params, Mode.INFER),
          spec, pixels, true);
      Contribution contribution = fused.prompt();
      // the two paths differ only for an additive prompt; building the other once more would cost seconds
      Operand<TFloat32> plain = !contribution.additive() ? fused.logits() : Classifier.fromPixels(
          BuildContext.root(tf.withSubScope("plain"), params, Mode.INFER), spec, pixels, false).logits();
      assertEquals(backbone.blockCount(), fused.backbone().blockInputs().size(), "every block's input");
      assertEquals(backbone.blockCount(), fused.backbone().blockOutputs().size(), "every block's output");
      if (contribution.additive()) {
        assertArrayEquals(new long[] {1, 12, 12, 3}, contribution.field().shape().asArray(), "the field");
        assertFalse(contribution.hooksBlocks(), "an additive prompt adds its field and nothing else");
      }
      try (Session session = new Session(graph); TUint8 feed = pixels(BATCH, 3)) {
        session.initialize();
        try (Result result = session.runner().feed(pixels, feed).fetch(fused.logits()).fetch(plain).run()) {
          float[] logits = Tensors.toFloats(result.get(0));
          assertEquals(2 * 3, logits.length);
          for (float v : logits) {
            assertTrue(Float.isFinite(v), "finite logits");
          }
          assertArrayEquals(Tensors.toFloats(result.get(1)), logits, 1e-4f, "conv(x) + conv(F) equals conv(x + F)");
        }
      }
    }
  }

  /** Each prompt where it first builds (gradients through a whole ViT cost seconds): its variables learn. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("registeredPrompts")
  void promptVariablesGetFiniteGradients(String promptName) {
    Prompt prompt = PromptSettings.of(promptName).create();
    ModelSpec spec = null;
    for (String backbone : Backbones.NAMES) {
      try {
        ModelSpec candidate = ModelSpec.of(INPUT, 3, backbone, null, prompt);
        candidate.createBackbone();
        spec = candidate;
        break;
      } catch (IllegalArgumentException rejected) {
        // the next backbone
      }
    }
    assertNotNull(spec, promptName + " builds on no registered backbone");
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore params = new ParameterStore(tf, 7);
      var images = tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(INPUT)));
      Classifier.Built train = Classifier.fromScaled(BuildContext.root(tf.withSubScope("train"), params, Mode.TRAIN),
          spec, images);
      Operand<TFloat32> loss = Losses.sparseCrossEntropy(tf, train.logits(), tf.constant(new int[] {0, 2}));
      List<Parameter> variables = params.trainable().stream().filter(p -> p.name().startsWith("prompt.")).toList();
      if (variables.isEmpty()) {
        assertEquals("none", promptName, "only the baseline has no prompt variables");
        return;
      }
      Output<?>[] gradients = graph.addGradients(loss.asOutput(),
          variables.stream().map(p -> p.variable().asOutput()).toArray(Output[]::new));
      try (Session session = new Session(graph);
          TFloat32 feed = Tensors.floats(BATCH, ModelHarness.randomImages(BATCH, 3))) {
        session.initialize();
        Session.Runner runner = session.runner().feed(images, feed);
        for (Output<?> g : gradients) {
          runner.fetch(g);
        }
        try (Result result = runner.run()) {
          double largest = 0;
          for (int i = 0; i < gradients.length; i++) {
            for (float v : Tensors.toFloats(result.get(i))) {
              assertTrue(Float.isFinite(v), variables.get(i).name());
              largest = Math.max(largest, Math.abs(v));
            }
          }
          assertTrue(largest > 0, "some prompt variable of " + promptName + " learns");
        }
      }
    }
  }

  static List<String> registeredPrompts() {
    return Prompts.NAMES;
  }

  private static TUint8 pixels(Shape shape, long seed) {
    float[] values = ModelHarness.randomImages(shape, seed);
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) (values[i] * 255);
    }
    return Tensors.bytes(shape, bytes);
  }

  /** Pairs that build; every prompt must build with at least one backbone, every backbone with none. */
  private static final Set<String> BUILT = new HashSet<>();

  @Test
  void everyPromptBuildsSomewhereAndEveryBackboneTakesTheBaseline() {
    promptsAndBackbones().forEach(a -> {
      String prompt = (String) a.get()[0];
      String backbone = (String) a.get()[1];
      try {
        ModelSpec.of(INPUT, 3, backbone, null, PromptSettings.of(prompt).create()).createBackbone();
        BUILT.add(prompt + "/" + backbone);
      } catch (IllegalArgumentException rejected) {
        // checked in the parameterised test
      }
    });
    for (String prompt : Prompts.NAMES) {
      assertTrue(Backbones.NAMES.stream().anyMatch(b -> BUILT.contains(prompt + "/" + b)), prompt + " builds nowhere");
    }
    for (var family : Backbones.FAMILIES) {
      String backbone = family.names().get(0);
      assertTrue(BUILT.contains("none/" + backbone), backbone + " does not take the baseline");
    }
  }

  /** A family's defaults are what its options' defaults say, so the CLI's defaults and config.json agree. */
  @Test
  void everyFamilysOptionDefaultsGiveItsDefaultSettings() {
    Set<String> names = new HashSet<>();
    for (PromptFamily<?> family : Prompts.FAMILIES) {
      Map<String, Object> defaults = new java.util.HashMap<>();
      for (PromptOption option : family.options()) {
        assertTrue(names.add(option.name()), "--" + option.name() + " is declared twice");
        defaults.put(option.name(), option.defaultValue() == null ? null : parse(option));
      }
      assertEquals(family.defaults(), family.settings(defaults::get), family.names().toString());
      for (String name : family.names()) {
        assertNotNull(PromptSettings.of(name).create(), name);
        assertTrue(PromptSettings.of(name).label().startsWith(name), name);
      }
    }
  }

  @Test
  void unknownNamesListWhatExists() {
    var prompt = assertThrows(IllegalArgumentException.class, () -> Prompts.family("vpt"));
    assertTrue(prompt.getMessage().contains("known: " + String.join(", ", Prompts.NAMES)), prompt.getMessage());
    var backbone = assertThrows(IllegalArgumentException.class, () -> Backbones.create("resnet50", INPUT, null));
    assertTrue(backbone.getMessage().contains("known: " + String.join(", ", Backbones.NAMES)), backbone.getMessage());
  }

  private static Object parse(PromptOption option) {
    String text = option.defaultValue();
    return switch (option.type().getSimpleName()) {
      case "Integer" -> Integer.valueOf(text);
      case "Double" -> Double.valueOf(text);
      case "Float" -> Float.valueOf(text);
      case "List" -> List.of(text.split(","));
      default -> text;
    };
  }
}

package dev.vprompt.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.graph.backbones.AttentionBlocks;
import dev.vprompt.graph.backbones.PatchTokens;
import dev.vprompt.graph.prompts.LayeredPrompt;
import dev.vprompt.graph.prompts.PromptLayer;
import dev.vprompt.graph.prompts.baselines.NoPrompt;
import dev.vprompt.graph.prompts.insvp.InsVp;
import dev.vprompt.graph.prompts.insvp.InsvpSettings;
import dev.vprompt.graph.prompts.insvp.Level;
import dev.vprompt.graph.prompts.lora.Lora;
import dev.vprompt.graph.prompts.msvp.Msvp;
import java.util.Arrays;
import java.util.HashMap;
import org.tensorflow.op.Op;
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
import dev.vprompt.ops.TestSessions;
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
 * tests), on a 12x12x3 input through tiny configurations, so a new family is checked by registering it:
 * the only pairs allowed to refuse are LoRA on backbones without attention.
 */
class RegistryContractTest {

  /** Small, yet large enough for every prompt's defaults (vp-pad's 4-pixel frame needs more than 8x8). */
  private static final InputSpec INPUT = new InputSpec(12, 12, 3);
  private static final Shape BATCH = Shape.of(2, 12, 12, 3);
  private static final int CLASSES = 3;
  private static final int[] LABELS = {0, 2};
  /** The length of a gradient step (a plain normalised step: the contract is a descent direction). */
  private static final float STEP = 0.02f;

  /**
   * Every prompt with the first variant of every backbone family (the variants of a family share their
   * code; BackbonesTest takes every variant).
   */
  static Stream<Arguments> promptsAndBackbones() {
    List<Arguments> pairs = new ArrayList<>();
    for (String prompt : Prompts.NAMES) {
      for (var family : Backbones.FAMILIES) {
        pairs.add(Arguments.of(prompt, representative(family)));
      }
    }
    return pairs.stream();
  }

  /** The pairs no prompt is meant to build on: LoRA adapts attention, which these backbones have none of. */
  static boolean expectedRejection(String prompt, Backbone backbone) {
    return prompt.equals(Lora.NAME) && !(backbone instanceof AttentionBlocks);
  }

  /**
   * The settings a user would give the prompt on this backbone: InsVP's defaults prompt the features of a
   * ViT as well as the image; elsewhere it is image level only (as its error message tells a user).
   */
  static PromptSettings settingsFor(String prompt, Backbone backbone) {
    PromptSettings defaults = PromptSettings.of(prompt);
    if (prompt.equals(InsVp.NAME) && !(backbone instanceof PatchTokens)) {
      InsvpSettings s = defaults.settings(InsvpSettings.class);
      return new PromptSettings(prompt, new InsvpSettings(Level.IMAGE.label(), s.parts(), s.imageWeight(),
          s.featureWeight(), s.promptLength(), s.blocks(), s.globalHidden(), s.patchHidden(), s.specificChannels(),
          s.patchSize(), s.dilation(), s.dropout()));
    }
    return defaults;
  }

  /**
   * Every pair, one graph and one session each, as a prompting run trains it (backbone frozen): the prompt
   * builds once into the classifier; the backbone reports every block's input and output; logits are finite
   * and equal through {@code conv(x) + conv(F)} and {@code conv(x + F)}; every backbone weight is frozen and
   * every prompt and head weight trainable; the prompt's and the head's parameter counts equal their closed
   * forms; one gradient step lowers the loss; every trainable weight gets a non-zero gradient at the first or
   * the second step (a zero-initialised factor's partners only at the second); after two steps no frozen weight
   * nor backbone statistic has changed.
   */
  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("promptsAndBackbones")
  void trainsOneStepWithAFrozenBackbone(String promptName, String backboneName) {
    Backbone backbone = Backbones.create(backboneName, INPUT, null);
    PromptSettings settings = settingsFor(promptName, backbone);
    Prompt prompt = settings.create();
    ModelSpec spec = ModelSpec.of(INPUT, CLASSES, backboneName, null, prompt);
    try {
      spec.createBackbone();
    } catch (IllegalArgumentException e) {
      assertTrue(expectedRejection(promptName, backbone), promptName + " on " + backboneName + ": " + e.getMessage());
      assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "a rejection says why");
      return;
    }
    assertFalse(expectedRejection(promptName, backbone), promptName + " builds on " + backboneName);
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore params = new ParameterStore(tf, 7, name -> name.startsWith("backbone."));
      var pixels = tf.placeholder(TUint8.class, Placeholder.shape(Classifier.batchShape(INPUT)));
      BuildContext trainRoot = BuildContext.root(tf.withSubScope("train"), params, Mode.TRAIN);
      Classifier.Built train = Classifier.fromPixels(trainRoot, spec, pixels);
      Operand<TFloat32> loss = Losses.sparseCrossEntropy(tf, train.logits(), tf.constant(LABELS));

      Contribution contribution = train.prompt();
      // the two paths differ only for an additive prompt; building the other once more would cost seconds
      // (in training mode too: a frozen backbone has no dropout, and additive prompts none)
      Operand<TFloat32> plain = !contribution.additive() ? null : Classifier.fromPixels(
          BuildContext.root(tf.withSubScope("plain"), params, Mode.TRAIN), spec, pixels, false).logits();
      assertEquals(backbone.blockCount(), train.backbone().blockInputs().size(), "every block's input");
      assertEquals(backbone.blockCount(), train.backbone().blockOutputs().size(), "every block's output");
      if (contribution.additive()) {
        assertArrayEquals(new long[] {1, 12, 12, 3}, contribution.field().shape().asArray(), "the field");
        assertFalse(contribution.hooksBlocks(), "an additive prompt adds its field and nothing else");
      }

      List<Parameter> trainable = params.trainable();
      List<Parameter> frozen = params.select(p -> p.role() == Parameter.Role.FROZEN);
      List<Parameter> backboneStatistics = params.select(p -> p.role() == Parameter.Role.STATISTIC
          && p.name().startsWith("backbone."));
      for (Parameter p : params.all()) {
        boolean inBackbone = p.name().startsWith("backbone.");
        assertTrue(inBackbone || p.name().startsWith("prompt.") || p.name().startsWith("head."), p.name());
        if (p.isWeight()) {
          assertEquals(inBackbone, p.role() == Parameter.Role.FROZEN, p.name() + " is " + p.role());
        }
      }
      ParameterCounts counts = ParameterCounts.of(params);
      assertEquals(promptClosedForm(prompt, backbone), counts.prompt(), "the prompt's parameters");
      assertEquals((long) (backbone.featureWidth() + 1) * CLASSES, counts.head(), "the head's parameters");
      assertEquals(counts.backbone(), counts.frozen(), "the whole backbone is frozen");
      assertEquals(counts.prompt() + counts.head(), counts.trainable(), "the prompt and the head train");

      Output<?>[] gradients = graph.addGradients(loss.asOutput(),
          trainable.stream().map(p -> p.variable().asOutput()).toArray(Output[]::new));
      // step = -STEP g / |g|: a fixed length keeps one step inside the region where the loss falls
      List<Operand<TFloat32>> squares = new ArrayList<>();
      List<Op> computed = new ArrayList<>();
      for (Output<?> g : gradients) {
        @SuppressWarnings("unchecked")
        Operand<TFloat32> gradient = (Operand<TFloat32>) g;
        squares.add(tf.sum(tf.reshape(tf.math.square(gradient), tf.constant(new long[] {-1})), tf.constant(0)));
        computed.add(tf.identity(gradient));
      }
      Operand<TFloat32> norm = tf.math.sqrt(tf.math.addN(squares));
      Operand<TFloat32> rate = tf.math.div(tf.constant(STEP), tf.math.add(norm, tf.constant(1e-12f)));
      Ops after = tf.withControlDependencies(computed);
      List<Op> step = new ArrayList<>(trainRoot.updates());
      for (int i = 0; i < gradients.length; i++) {
        @SuppressWarnings("unchecked")
        Operand<TFloat32> gradient = (Operand<TFloat32>) gradients[i];
        step.add(after.assignSub(trainable.get(i).variable(), tf.math.mul(gradient, rate)));
      }

      // one fetch list for every probe, so the session prepares three executors in all (init, probe, step)
      List<Operand<?>> probe = new ArrayList<>(List.of(loss, norm, train.logits()));
      if (plain != null) {
        probe.add(plain);
      }
      List<Parameter> watched = new ArrayList<>(trainable);
      watched.addAll(frozen);
      watched.addAll(backboneStatistics);
      int first = probe.size();
      watched.forEach(p -> probe.add(p.variable()));
      for (Output<?> g : gradients) {
        probe.add(g);
      }
      try (Session session = TestSessions.open(graph); TUint8 feed = pixels(BATCH, 3)) {
        session.initialize();
        Probe before = probe(session, probe, pixels, feed, watched, first);
        assertTrue(Float.isFinite(before.loss()), "finite loss");
        assertTrue(Float.isFinite(before.gradientNorm()) && before.gradientNorm() > 0,
            "a finite, non-zero gradient: " + before.gradientNorm());
        assertEquals(BATCH.get(0) * CLASSES, before.logits().length);
        for (float v : before.logits()) {
          assertTrue(Float.isFinite(v), "finite logits");
        }
        if (plain != null) {
          assertArrayEquals(before.plain(), before.logits(), 1e-4f, "conv(x) + conv(F) equals conv(x + F)");
        }
        runStep(session, step, pixels, feed);
        Probe once = probe(session, probe, pixels, feed, watched, first);
        assertTrue(once.loss() < before.loss(), "one step lowers the loss: " + before.loss() + " -> " + once.loss());
        runStep(session, step, pixels, feed);
        Probe twice = probe(session, probe, pixels, feed, watched, first);
        for (Parameter p : trainable) {
          boolean learns = before.gradients().get(p.name()) > 0 || once.gradients().get(p.name()) > 0;
          assertTrue(learns || unreachable(promptName, backboneName, p.name()),
              p.name() + " gets a gradient at the first or the second step (a zero-initialised factor's partner "
                  + "only at the second)");
          assertTrue(!learns || !Arrays.equals(before.values().get(p.name()), twice.values().get(p.name()))
              || p.name().startsWith("prompt."), p.name() + " moves within two steps");
        }
        for (Parameter p : watched.subList(trainable.size(), watched.size())) {
          assertArrayEquals(before.values().get(p.name()), twice.values().get(p.name()),
              p.name() + " is frozen: it gets no update");
        }
      }
    }
  }

  /** What one probe of the session reads. */
  private record Probe(float loss, float gradientNorm, float[] logits, float[] plain, Map<String, float[]> values,
      Map<String, Double> gradients) {}

  /**
   * Prompt weights no gradient can reach, for a reason of the tiny geometry alone: ConvNeXt's 12x12
   * configuration downsamples 12 -> 6 -> 3 -> 1, and the last 2x2 / 2 convolution (as PyTorch's) drops the 3x3
   * map's last row and column, i.e. input rows and columns 8-11, where vp-pad's bottom and right frames lie.
   */
  static boolean unreachable(String prompt, String backbone, String variable) {
    return prompt.equals("vp-pad") && backbone.startsWith("convnext(")
        && (variable.endsWith(".bottom") || variable.endsWith(".right"));
  }

  private static Probe probe(Session session, List<Operand<?>> fetches, Operand<TUint8> pixels, TUint8 feed,
      List<Parameter> watched, int first) {
    Session.Runner runner = session.runner().feed(pixels, feed);
    fetches.forEach(runner::fetch);
    try (Result result = runner.run()) {
      Map<String, float[]> values = new HashMap<>();
      for (int i = 0; i < watched.size(); i++) {
        values.put(watched.get(i).name(), Tensors.toFloats(result.get(first + i)));
      }
      Map<String, Double> gradients = new HashMap<>();
      for (int i = 0; i < fetches.size() - first - watched.size(); i++) {
        double largest = 0;
        for (float v : Tensors.toFloats(result.get(first + watched.size() + i))) {
          largest = Math.max(largest, Math.abs(v));
        }
        gradients.put(watched.get(i).name(), largest);
      }
      return new Probe(Tensors.toFloats(result.get(0))[0], Tensors.toFloats(result.get(1))[0],
          Tensors.toFloats(result.get(2)), first > 3 ? Tensors.toFloats(result.get(3)) : null, values, gradients);
    }
  }

  /**
   * The prompt's parameter count in the closed form its family documents; a new family adds its own here
   * (or implements {@link LayeredPrompt}).
   */
  static long promptClosedForm(Prompt prompt, Backbone backbone) {
    if (prompt instanceof NoPrompt) {
      return 0;
    }
    if (prompt instanceof Msvp msvp) {
      return msvp.parameterCount(INPUT.channels());
    }
    if (prompt instanceof InsVp insvp) {
      return insvp.parameterCount(INPUT, backbone);
    }
    if (prompt instanceof Lora lora) {
      return lora.parameterCount(backbone);
    }
    if (prompt instanceof LayeredPrompt layered) {
      return layered.layers(INPUT, backbone).stream().mapToLong(PromptLayer::parameters).sum();
    }
    throw new AssertionError(prompt.name() + " has no closed form for its parameter count: add one");
  }

  private static void runStep(Session session, List<Op> step, Operand<TUint8> pixels, TUint8 feed) {
    Session.Runner runner = session.runner().feed(pixels, feed);
    step.forEach(runner::addTarget);
    runner.run();
  }



  private static TUint8 pixels(Shape shape, long seed) {
    float[] values = ModelHarness.randomImages(shape, seed);
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) (values[i] * 255);
    }
    return Tensors.bytes(shape, bytes);
  }

  /**
   * The configured form of each full-size pretrained family at 12x12 (the same code as its named variants,
   * which cannot take a 12x12 image or would cost minutes here; their own tests build them full size).
   */
  private static final Map<String, String> TINY = Map.of(
      "vit-b16", "vit(patch=4,dim=16,depth=2,heads=2)",
      "resnet18-in", "resnet(block=basic,layers=1-1-1-1,channels=8-8-16-16)",
      "swin-t", "swin(patch=2,window=3,dim=8,depths=2-2,heads=1-2,drop_path=0.0)",
      "convnext-t", "convnext(depths=1-1-1-1,dims=8-8-16-16,patch=1)");

  /** The family's first variant, or its tiny configuration for a full-size pretrained family. */
  static String representative(dev.vprompt.graph.backbones.BackboneFamily family) {
    String first = family.names().get(0);
    return TINY.getOrDefault(first, first);
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
      String backbone = representative(family);
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

package dev.vprompt.graph;

import dev.vprompt.ops.TestSessions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.graph.prompts.baselines.DeepLorVp;
import dev.vprompt.graph.prompts.baselines.GroupedVp;
import dev.vprompt.graph.prompts.lotep.Lotep;
import dev.vprompt.graph.prompts.baselines.NoPrompt;
import dev.vprompt.graph.prompts.Contribution;
import dev.vprompt.graph.prompts.Prompt;
import dev.vprompt.graph.prompts.lotep.RankSchedule;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * the LoTeP paper §4.1: the channel factor starts at zero "ensuring that the expressive power of the pre-trained
 * model is not disrupted at the start of training". Checked bit for bit: every block's input (as the hook
 * receives it and as the block sees it after the prompt), every block's output, the features and the
 * logits of the prompted model equal those of the same weights without a prompt. rho = 1 prompts every
 * block.
 *
 * <p>"Bit for bit" up to the sign of zero: ViT dropout in training mode leaves -0.0 where a negative token
 * meets a zero mask, and -0.0 + 0.0 is +0.0 in IEEE arithmetic. The two are equal (==) and every later
 * activation is still compared bit for bit.
 */
class LotepIdentityAtStepZeroTest {

  private static Prompt prompt(String name) {
    return switch (name) {
      case "lotep-cp" -> new Lotep(Lotep.Variant.CP, 4, 1.0, RankSchedule.COSINE, 0.02f);
      case "lotep-tk" -> new Lotep(Lotep.Variant.TUCKER, 4, 1.0, RankSchedule.COSINE, 0.02f);
      case "grouped-vp" -> new GroupedVp(1, 1.0);
      case "deep-lor-vp" -> new DeepLorVp(2, 1.0);
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** Records what one build's blocks receive and produce. */
  private static final class Recorder implements BlockHook {
    final BlockHook inner;
    final List<Operand<TFloat32>> received = new ArrayList<>();
    final List<Operand<TFloat32>> seen = new ArrayList<>();
    final List<Operand<TFloat32>> produced = new ArrayList<>();

    Recorder(BlockHook inner) {
      this.inner = inner;
    }

    @Override
    public Operand<TFloat32> beforeBlock(int block, Operand<TFloat32> x) {
      received.add(x);
      Operand<TFloat32> prompted = inner.beforeBlock(block, x);
      seen.add(prompted);
      return prompted;
    }

    @Override
    public Operand<TFloat32> afterBlock(int block, Operand<TFloat32> x) {
      Operand<TFloat32> out = inner.afterBlock(block, x);
      produced.add(out);
      return out;
    }
  }

  /**
   * The prompt as the classifier builds it, its hook wrapped in a {@link Recorder}: one classifier build
   * gives every block's activations, the features and the logits.
   */
  private static final class Recorded implements Prompt {
    final Prompt inner;
    Recorder recorder;

    Recorded(Prompt inner) {
      this.inner = inner;
    }

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public void validate(InputSpec input, Backbone backbone) {
      inner.validate(input, backbone);
    }

    @Override
    public Contribution build(BuildContext ctx, Operand<TFloat32> images, Backbone backbone) {
      if (recorder != null) {
        throw new IllegalStateException("built twice");
      }
      Contribution built = inner.build(ctx, images, backbone);
      recorder = new Recorder(built.hook());
      return new Contribution(built.images(), recorder, built.field());
    }
  }

  /**
   * The unprompted model's activations by backbone and mode, shared by the prompts compared with it: each
   * model is built in a graph of its own (building a graph costs more than running it, and more than
   * linearly in its size: TensorFlow Java's sub-scopes walk every operation already in the graph).
   */
  private static final Map<String, List<float[]>> PLAIN = new HashMap<>();

  @ParameterizedTest
  @CsvSource({
      "cnn,lotep-cp,INFER", "cnn,lotep-tk,TRAIN", "resnet18,lotep-cp,INFER", "resnet18,lotep-cp,TRAIN",
      "resnet18,lotep-tk,INFER", "resnet18,lotep-tk,TRAIN", "vit-tiny,lotep-cp,INFER", "vit-tiny,lotep-cp,TRAIN",
      "vit-tiny,lotep-tk,INFER", "vit-tiny,lotep-tk,TRAIN", "resnet18,grouped-vp,TRAIN",
      "vit-tiny,deep-lor-vp,TRAIN"})
  void everyBlockActivationIsBitIdenticalAtStepZero(String backboneName, String promptName, Mode mode) {
    List<float[]> plain = PLAIN.computeIfAbsent(backboneName + " " + mode,
        key -> activations(backboneName, new NoPrompt(), mode, false));
    List<float[]> prompted = activations(backboneName, prompt(promptName), mode, true);
    List<String> what = new ArrayList<>();
    for (int b = 0; b < (prompted.size() - 2) / 3; b++) {
      what.add("input of block " + b);
      what.add("prompted input of block " + b);
      what.add("output of block " + b);
    }
    what.add("features");
    what.add("logits");
    assertEquals(what.size(), plain.size());
    for (int i = 0; i < what.size(); i++) {
      assertBitIdentical(plain.get(i), prompted.get(i), backboneName + " " + promptName + " " + mode + ": " + what.get(i));
    }
  }

  /**
   * One build of the classifier with {@code prompt} on {@code backbone}, weights initialised with seed 7 (a
   * variable's initial value depends on the seed and its name alone, so every build has the same weights), run
   * on one batch: each block's input as the hook receives it, as the block sees it and its output, then the
   * features and the logits.
   */
  private static List<float[]> activations(String backboneName, Prompt prompt, Mode mode, boolean prompted) {
    InputSpec input = new InputSpec(32, 32, 3);
    Recorded recorded = new Recorded(prompt);
    ModelSpec spec = ModelSpec.of(input, 10, backboneName, null, recorded);
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore params = new ParameterStore(tf, 7);
      var images = tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(input)));
      Classifier.Built model =
          Classifier.fromScaled(BuildContext.root(tf.withSubScope("model"), params, mode), spec, images);
      Backbone backbone = spec.createBackbone();
      Recorder recorder = recorded.recorder;
      if (prompted) {
        assertTrue(params.count("prompt.") > 0, "the prompt has parameters");
      }
      assertEquals(backbone.blockCount(), recorder.received.size());

      List<Operand<TFloat32>> outputs = new ArrayList<>();
      for (int b = 0; b < backbone.blockCount(); b++) {
        outputs.add(recorder.received.get(b));
        outputs.add(recorder.seen.get(b));
        outputs.add(recorder.produced.get(b));
      }
      outputs.add(model.backbone().pooled());
      outputs.add(model.logits());
      try (Session session = TestSessions.open(graph)) {
        session.initialize();
        return fetch(tf, session, images, Shape.of(2, 32, 32, 3), outputs);
      }
    }
  }

  private static void assertBitIdentical(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      boolean sameBits = Float.floatToRawIntBits(expected[i]) == Float.floatToRawIntBits(actual[i]);
      boolean bothZero = expected[i] == 0f && actual[i] == 0f;
      if (!sameBits && !bothZero) {
        throw new AssertionError(what + " differs at " + i + ": " + expected[i] + " vs " + actual[i]);
      }
    }
  }

  private static List<float[]> fetch(
      Ops tf, Session session, Placeholder<TFloat32> images, Shape shape, List<Operand<TFloat32>> outputs) {
    try (TFloat32 feed = Tensors.floats(shape, ModelHarness.randomImages(shape, 11))) {
      Session.Runner runner = session.runner().feed(images, feed);
      for (Operand<TFloat32> output : outputs) {
        runner.fetch(tf.identity(output));
      }
      List<float[]> values = new ArrayList<>();
      try (Result result = runner.run()) {
        for (int i = 0; i < outputs.size(); i++) {
          values.add(Tensors.toFloats(result.get(i)));
        }
      }
      return values;
    }
  }
}

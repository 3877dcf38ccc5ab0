package dev.vprompt.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.graph.prompts.baselines.DeepLorVp;
import dev.vprompt.graph.prompts.baselines.GroupedVp;
import dev.vprompt.graph.prompts.lotep.Lotep;
import dev.vprompt.graph.prompts.baselines.NoPrompt;
import dev.vprompt.graph.prompts.Prompt;
import dev.vprompt.graph.prompts.lotep.RankSchedule;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import java.util.ArrayList;
import java.util.List;
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

  @ParameterizedTest
  @CsvSource({
      "cnn,lotep-cp,INFER", "cnn,lotep-tk,TRAIN", "resnet18,lotep-cp,INFER", "resnet18,lotep-cp,TRAIN",
      "resnet18,lotep-tk,INFER", "resnet18,lotep-tk,TRAIN", "vit-tiny,lotep-cp,INFER", "vit-tiny,lotep-cp,TRAIN",
      "vit-tiny,lotep-tk,INFER", "vit-tiny,lotep-tk,TRAIN", "resnet18,grouped-vp,TRAIN",
      "vit-tiny,deep-lor-vp,TRAIN"})
  void everyBlockActivationIsBitIdenticalAtStepZero(String backboneName, String promptName, Mode mode) {
    InputSpec input = new InputSpec(32, 32, 3);
    Prompt prompt = prompt(promptName);
    ModelSpec plainSpec = ModelSpec.of(input, 10, backboneName, null, new NoPrompt());
    ModelSpec promptedSpec = ModelSpec.of(input, 10, backboneName, null, prompt);
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore params = new ParameterStore(tf, 7);
      var images = tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(input)));
      BuildContext plainRoot = BuildContext.root(tf.withSubScope("plain"), params, mode);
      BuildContext promptedRoot = BuildContext.root(tf.withSubScope("prompted"), params, mode);

      Backbone backbone = promptedSpec.createBackbone();
      Recorder plain = new Recorder(BlockHook.NONE);
      Recorder prompted = new Recorder(prompt.build(promptedRoot.child("prompt"), images, backbone).hook());
      Operand<TFloat32> plainFeatures = backbone.features(plainRoot.child("backbone"), images, plain);
      Operand<TFloat32> promptedFeatures = backbone.features(promptedRoot.child("backbone"), images, prompted);
      Operand<TFloat32> plainLogits =
          Classifier.fromScaled(BuildContext.root(tf.withSubScope("plainModel"), params, mode), plainSpec, images).logits();
      Operand<TFloat32> promptedLogits =
          Classifier.fromScaled(BuildContext.root(tf.withSubScope("promptedModel"), params, mode), promptedSpec, images)
              .logits();
      assertTrue(params.count("prompt.") > 0, "the prompt has parameters");
      assertEquals(backbone.blockCount(), prompted.received.size());

      List<Operand<TFloat32>> left = new ArrayList<>();
      List<Operand<TFloat32>> right = new ArrayList<>();
      List<String> what = new ArrayList<>();
      for (int b = 0; b < backbone.blockCount(); b++) {
        left.add(plain.received.get(b));
        right.add(prompted.received.get(b));
        what.add("input of block " + b);
        left.add(plain.seen.get(b));
        right.add(prompted.seen.get(b));
        what.add("prompted input of block " + b);
        left.add(plain.produced.get(b));
        right.add(prompted.produced.get(b));
        what.add("output of block " + b);
      }
      left.add(plainFeatures);
      right.add(promptedFeatures);
      what.add("features");
      left.add(plainLogits);
      right.add(promptedLogits);
      what.add("logits");

      try (Session session = new Session(graph)) {
        session.initialize();
        Shape shape = Shape.of(2, 32, 32, 3);
        List<float[]> a = fetch(tf, session, images, shape, left);
        List<float[]> b = fetch(tf, session, images, shape, right);
        for (int i = 0; i < what.size(); i++) {
          assertBitIdentical(a.get(i), b.get(i), backboneName + " " + promptName + " " + mode + ": " + what.get(i));
        }
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

package dev.vprompt.graph;

import dev.vprompt.ops.TestSessions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.prompts.baselines.NoPrompt;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The backbones as the reference code builds them: a frozen backbone in eval mode (no dropout), and the
 * initialisations of the MSVP reference code.
 */
class ReferenceBackboneTest {

  private static final InputSpec INPUT = new InputSpec(8, 8, 1);

  @ParameterizedTest
  @ValueSource(strings = {"cnn", "vit-tiny"})
  void aFrozenBackboneInATrainingBuildComputesItsEvalModeOutput(String backbone) {
    ModelSpec spec = ModelSpec.of(INPUT, 4, backbone, backbone.equals("vit-tiny") ? 2 : null, new NoPrompt());
    float[][] features = trainAndEvalFeaturesWithAFrozenBackbone(spec);
    assertArrayEquals(features[1], features[0], 0f, backbone + ": dropout must be off in a frozen backbone");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PATCH", "COMMON"})
  void insvpDropsOutItsPromptsAsTheReferenceCode(String part) {
    // frozen backbone: only the prompt's dropout can make the training build differ from the eval build
    var prompt = dev.vprompt.graph.prompts.insvp.InsVp.of(
        java.util.Set.of(dev.vprompt.graph.prompts.insvp.Part.valueOf(part)));
    ModelSpec spec = ModelSpec.of(INPUT, 4, "vit-tiny", 2, prompt);
    float[][] features = trainAndEvalFeaturesWithAFrozenBackbone(spec);
    assertTrue(!java.util.Arrays.equals(features[1], features[0]),
        part + ": the reference code drops out this prompt in training");
  }

  /**
   * The features of a training-mode and an eval-mode build of {@code spec} sharing one set of weights, the
   * backbone's frozen, on the same random batch: {training, eval}.
   */
  private static float[][] trainAndEvalFeaturesWithAFrozenBackbone(ModelSpec spec) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore params = new ParameterStore(tf, 5, name -> name.startsWith("backbone."));
      Placeholder<TFloat32> images = tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(INPUT)));
      Operand<TFloat32> train =
          Classifier.fromScaled(BuildContext.root(tf.withSubScope("train"), params, Mode.TRAIN), spec, images).features();
      Operand<TFloat32> eval =
          Classifier.fromScaled(BuildContext.root(tf.withSubScope("eval"), params, Mode.INFER), spec, images).features();
      Shape batch = Shape.of(16, 8, 8, 1);
      try (Session session = TestSessions.open(graph); TFloat32 feed = Tensors.floats(batch, ModelHarness.randomImages(batch, 3))) {
        session.initialize();
        try (Result result = session.runner().feed(images, feed).fetch(train).fetch(eval).run()) {
          return new float[][] {Tensors.toFloats(result.get(0)), Tensors.toFloats(result.get(1))};
        }
      }
    }
  }

  @Test
  void initialisationsMatchTheReferenceCode() {
    InputSpec input = new InputSpec(32, 32, 3);
    // ResNet head nn.init.normal_(fc.weight, 0, 0.01)
    assertEquals(0.01, std(input, "resnet18", "head.kernel"), 0.0006);
    // ViT: trunc_normal_(std=0.02) truncates at +-2 absolute, so the std is 0.02, not 0.0176
    assertEquals(0.02, std(input, "vit-tiny", "backbone.pos_embed"), 0.0006);
    assertEquals(0.02, std(input, "vit-tiny", "head.kernel"), 0.0012);
    // PyTorch's nn.Linear default for qkv: kernel and bias U(+-1/sqrt(192)), std 1/sqrt(3 * 192)
    double linear = 1 / Math.sqrt(3 * 192.0);
    assertEquals(linear, std(input, "vit-tiny", "backbone.block1.attn.qkv.kernel"), 0.02 * linear);
    assertEquals(linear, std(input, "vit-tiny", "backbone.block1.attn.qkv.bias"), 0.1 * linear);
  }

  private static double std(InputSpec input, String backbone, String variable) {
    ModelSpec spec = ModelSpec.of(input, 10, backbone, null, new NoPrompt());
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore params = new ParameterStore(tf, 11);
      Placeholder<TFloat32> images = tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(input)));
      Classifier.fromScaled(BuildContext.root(tf, params, Mode.INFER), spec, images);
      try (Session session = TestSessions.open(graph)) {
        session.initialize();
        try (Result result = session.runner().fetch(params.get(variable).variable()).run()) {
          float[] values = Tensors.toFloats(result.get(0));
          double sum = 0;
          for (float v : values) {
            sum += (double) v * v;
          }
          assertTrue(values.length > 500, variable);
          return Math.sqrt(sum / values.length);
        }
      }
    }
  }
}

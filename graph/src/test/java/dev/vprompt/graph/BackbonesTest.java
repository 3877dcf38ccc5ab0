package dev.vprompt.graph;

import dev.vprompt.ops.TestSessions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.graph.prompts.msvp.Msvp;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import dev.vprompt.ops.check.GradientChecker;
import dev.vprompt.ops.loss.Losses;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

class BackbonesTest {

  @ParameterizedTest
  @CsvSource({"cnn,28x28x1", "cnn,32x32x3", "resnet18,28x28x1", "resnet18,32x32x3",
      "vit-tiny,28x28x1", "vit-tiny,32x32x3"})
  void logitsHaveOneRowPerImageAndOneColumnPerClass(String backbone, String input) {
    InputSpec in = InputSpec.parse(input);
    Shape shape = Shape.of(3, in.height(), in.width(), in.channels());
    var both = ModelHarness.inBothModes(ModelSpec.of(in, 7, backbone, null, Msvp.defaults()), 1, shape,
        ModelHarness.randomImages(shape, 2));
    for (Mode mode : Mode.values()) {
      float[] logits = both.logits().get(mode);
      assertEquals(3 * 7, logits.length, mode.toString());
      for (float v : logits) {
        assertTrue(Float.isFinite(v), mode.toString());
      }
    }
  }

  /** Every block calls the hook once, in order, with the activation shape that block sees. */
  @ParameterizedTest
  @CsvSource({"cnn,4,32x32x3,3", "resnet18,8,32x32x3,64", "vit-tiny,12,32x32x3,65"})
  void theBlockHookSeesEveryBlock(String name, int blocks, String input, long firstDim) {
    InputSpec in = InputSpec.parse(input);
    Backbone backbone = dev.vprompt.graph.backbones.Backbones.create(name, in, null);
    assertEquals(blocks, backbone.blockCount());
    List<Shape> seen = new ArrayList<>();
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      var images = tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(in)));
      backbone.features(BuildContext.root(tf, new ParameterStore(tf, 1), Mode.INFER).child("backbone"), images,
          new dev.vprompt.graph.BlockHook() {
            @Override
            public org.tensorflow.Operand<TFloat32> beforeBlock(int block, org.tensorflow.Operand<TFloat32> x) {
              assertEquals(seen.size(), block);
              seen.add(x.shape());
              return x;
            }

            @Override
            public org.tensorflow.Operand<TFloat32> afterBlock(int block, org.tensorflow.Operand<TFloat32> x) {
              assertEquals(seen.size() - 1, block, "after the block it entered");
              return x;
            }
          });
    }
    assertEquals(blocks, seen.size());
    assertEquals(firstDim, name.equals("vit-tiny") ? seen.get(0).get(1) : seen.get(0).get(3));
  }

  /**
   * Every registered name, except that the full-size pretrained variants (which cannot take 16x16 images,
   * and whose own tests build them full size) are stood in for by a small configuration of the same code.
   */
  static List<String> registeredBackbones() {
    List<String> pretrained = new java.util.ArrayList<>();
    pretrained.addAll(dev.vprompt.graph.backbones.TimmVit.VARIANTS);
    pretrained.addAll(dev.vprompt.graph.backbones.ImageNetResNet.VARIANTS);
    pretrained.addAll(dev.vprompt.graph.backbones.SwinTransformer.VARIANTS);
    pretrained.addAll(dev.vprompt.graph.backbones.ConvNeXt.VARIANTS);
    List<String> names = new java.util.ArrayList<>(dev.vprompt.graph.backbones.Backbones.NAMES.stream()
        .filter(name -> !pretrained.contains(name)).toList());
    names.addAll(List.of("vit(patch=4,dim=16,depth=1,heads=2)", "resnet(block=basic,layers=1-1-1-1,channels=8-8-16-16)",
        "resnet(block=bottleneck,layers=1-1-1-1,channels=8-8-16-16)",
        "swin(patch=2,window=2,dim=8,depths=2-2,heads=1-2,drop_path=0.0)", "convnext(depths=1-1-1-1,dims=8-8-16-16,patch=2)"));
    return names;
  }

  /** timm's contract, over the whole registry: in a training step every trainable variable receives a finite, non-zero gradient. */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("registeredBackbones")
  void everyTrainableVariableGetsAGradient(String backbone) {
    InputSpec in = new InputSpec(16, 16, 3);
    ModelSpec spec = ModelSpec.of(in, 5, backbone, null, Msvp.defaults());
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore params = new ParameterStore(tf, 3);
      var images = tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(in)));
      var built = Classifier.fromScaled(BuildContext.root(tf.withSubScope("train"), params, Mode.TRAIN), spec, images);
      Operand<TFloat32> loss = Losses.sparseCrossEntropy(tf, built.logits(), tf.constant(new int[] {0, 1, 2, 3}));
      List<Parameter> trainable = params.trainable();
      Output<?>[] grads = graph.addGradients(loss.asOutput(),
          trainable.stream().map(p -> p.variable().asOutput()).toArray(Output[]::new));
      try (Session session = TestSessions.open(graph);
          TFloat32 feed = Tensors.floats(Shape.of(4, 16, 16, 3),
              ModelHarness.randomImages(Shape.of(4, 16, 16, 3), 1))) {
        session.initialize();
        Session.Runner runner = session.runner().feed(images, feed);
        for (Output<?> g : grads) {
          runner.fetch(g);
        }
        try (Result result = runner.run()) {
          for (int i = 0; i < grads.length; i++) {
            float[] g = Tensors.toFloats(result.get(i));
            double norm = 0;
            for (float v : g) {
              assertTrue(Float.isFinite(v), trainable.get(i).name());
              norm += v * v;
            }
            assertTrue(norm > 0, trainable.get(i).name() + " got a zero gradient");
          }
        }
      }
    }
  }

  /**
   * Finite differences through whole (small-input) backbones in inference mode: every variable at two
   * coordinates on the CNN, at one on ResNet-18 and ViT-Tiny, whose blocks repeat one code (8 and 12
   * blocks: a second coordinate each doubled the test's cost, the longest in the suite).
   */
  @ParameterizedTest
  @CsvSource({"cnn,8x8x1", "resnet18,4x4x1", "vit-tiny,8x8x1"})
  void wholeClassifierGradientsMatchFiniteDifferences(String backbone, String input) {
    InputSpec in = InputSpec.parse(input);
    Integer patch = backbone.equals("vit-tiny") ? 4 : null;
    ModelSpec spec = ModelSpec.of(in, 3, backbone, patch, new Msvp(Msvp.Scales.FULL, Msvp.Fusion.ADD, 2, 4, 0.1f));
    var checker = new GradientChecker(1e-3, 2e-3, 5e-2, backbone.equals("cnn") ? 2 : 1);
    var report = checker.check(Shape.of(2, in.height(), in.width(), in.channels()), Mode.INFER, 8,
        (ctx, x) -> Classifier.fromScaled(ctx, spec, x).logits());
    assertTrue(report.passed(), report.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"cnn", "resnet18", "vit-tiny"})
  void trainingAndInferenceGraphsShareVariableNames(String backbone) {
    InputSpec in = new InputSpec(32, 32, 3);
    ModelSpec spec = ModelSpec.of(in, 10, backbone, null, Msvp.defaults());
    List<String> training = variableNames(spec, Mode.TRAIN);
    List<String> inference = variableNames(spec, Mode.INFER);
    assertEquals(training, inference);
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore shared = new ParameterStore(tf, 1);
      var images = tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(in)));
      Classifier.fromScaled(BuildContext.root(tf.withSubScope("train"), shared, Mode.TRAIN), spec, images);
      int afterTraining = shared.all().size();
      Classifier.fromScaled(BuildContext.root(tf.withSubScope("infer"), shared, Mode.INFER), spec, images);
      assertEquals(afterTraining, shared.all().size(), "the inference build reuses every variable");
    }
    assertTrue(training.contains("prompt.msvp.local"));
    assertTrue(training.contains("head.kernel"));
  }

  private static List<String> variableNames(ModelSpec spec, Mode mode) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore store = new ParameterStore(tf, 1);
      var images = tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(spec.input())));
      Classifier.fromScaled(BuildContext.root(tf.withSubScope("m"), store, mode), spec, images);
      List<String> names = new ArrayList<>();
      graph.operations().forEachRemaining(op -> {
        if (op.type().equals("VariableV2")) {
          names.add(op.name());
        }
      });
      names.sort(String::compareTo);
      assertEquals(store.all().size(), names.size());
      return names;
    }
  }

}

package dev.vprompt.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.backbones.TimmArchitecture;
import dev.vprompt.graph.prompts.Prompts;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.naming.IndexedScopes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * vprompt's indexed scopes give every op of a model's graph the name TensorFlow Java's own scopes give it
 * (checkpoint variables, imported weight maps and signatures are keyed by these names). The small graphs
 * are a training build, its gradients, an inference build and a second training build, as a run makes
 * them; the 12-block ViT-Tiny is one training build per prompt (TensorFlow Java's scopes, the reference,
 * take time quadratic in the graph's size).
 */
class IndexedNamingTest {

  private static final String TIMM_VIT = TimmArchitecture.ofTimm(null, "VisionTransformer",
      "{\"img_size\": 32, \"patch_size\": 8, \"num_classes\": 10, \"embed_dim\": 48, \"depth\": 2, \"num_heads\": 3}")
      .backbone();
  private static final String TIMM_RESNET = TimmArchitecture.ofTimm(null, "ResNet",
      "{\"block\": \"BasicBlock\", \"layers\": [1, 1, 1, 1], \"channels\": [8, 16, 32, 64], \"stem_width\": 8}")
      .backbone();

  @ParameterizedTest(name = "{0} + {1}, whole run: {2}")
  @CsvSource(delimiter = ';', value = {
      "cnn; msvp; true", "resnet18; msvp; true", "resnet18; lor-vp; false", "vit-tiny; msvp; false",
      "vit-tiny; lotep-cp; false", "vit-tiny; insvp; false", "vit-tiny; lor-vp; false", "TIMM_VIT; insvp; true",
      "TIMM_VIT; lora; true", "TIMM_VIT; deep-lor-vp; true", "TIMM_RESNET; vp-pad; true",
      "swin(patch=2,window=4,dim=16,depths=2-2,heads=2-4); msvp; true",
      "convnext(depths=1-1-1-1,dims=8-16-32-64); none; true"})
  void everyOpIsNamedAsByTensorFlowScopes(String backbone, String prompt, boolean wholeRun) {
    String name = switch (backbone) {
      case "TIMM_VIT" -> TIMM_VIT;
      case "TIMM_RESNET" -> TIMM_RESNET;
      default -> backbone;
    };
    ModelSpec spec = ModelSpec.of(new InputSpec(32, 32, 3), 10, name, null, Prompts.create(prompt));
    List<String> indexed = opNames(spec, wholeRun);
    List<String> reference = IndexedScopes.withTensorFlowNaming(() -> opNames(spec, wholeRun));
    assertTrue(reference.size() > 100, reference.size() + " ops");
    assertEquals(reference, indexed);
  }

  /** Name and type of every op, in creation order. */
  private static List<String> opNames(ModelSpec spec, boolean wholeRun) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore params = new ParameterStore(tf, 5);
      Placeholder<TFloat32> images = tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(spec.input())));
      Ops train = tf.withSubScope("train");
      Operand<TFloat32> logits = Classifier.fromScaled(BuildContext.root(train, params, Mode.TRAIN), spec, images).logits();
      if (wholeRun) {
        run(graph, tf, train, params, spec, images, logits);
      }
      List<String> names = new ArrayList<>();
      graph.operations().forEachRemaining(op -> names.add(op.name() + " " + op.type()));
      return names;
    }
  }

  /** Gradients, an inference build and a second training build after the first, as a run adds them. */
  private static void run(Graph graph, Ops tf, Ops train, ParameterStore params, ModelSpec spec,
      Placeholder<TFloat32> images, Operand<TFloat32> logits) {
    Operand<TFloat32> loss = train.math.mean(train.math.square(logits), train.constant(new int[] {0, 1}));
    Output<?>[] weights = params.trainable().stream().map(Parameter::variable).map(Operand::asOutput)
        .toArray(Output<?>[]::new);
    graph.addGradients(loss.asOutput(), weights);
    Classifier.fromScaled(BuildContext.root(tf.withSubScope("infer"), params, Mode.INFER), spec, images);
    Classifier.fromScaled(BuildContext.root(tf.withSubScope("train"), params, Mode.TRAIN), spec, images);
  }
}

package dev.vprompt.train.prompts;

import dev.vprompt.ops.TestSessions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.Classifier;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.graph.prompts.lotep.LotepFamily;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import dev.vprompt.ops.loss.Losses;
import dev.vprompt.train.optim.Optimizer;
import dev.vprompt.train.optim.OptimizerConfig;
import dev.vprompt.train.optim.OptimizerKind;
import dev.vprompt.train.optim.TrainOp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Deep prompts train on a frozen backbone: at step 0 only the zero-initialised channel factor (and the
 * zero B of LoR-VP, the zero maps of grouped-vp) has a non-zero gradient, since every other factor's
 * gradient is multiplied by it; after one Adam step every prompt variable has one.
 */
class DeepPromptTrainingStepTest {

  private static final InputSpec INPUT = new InputSpec(8, 8, 3);
  private static final Shape BATCH = Shape.of(4, 8, 8, 3);

  @ParameterizedTest
  @CsvSource({
      "resnet18,lotep-cp,a", "resnet18,lotep-tk,u", "vit-tiny,lotep-cp,a", "vit-tiny,lotep-tk,u",
      "resnet18,deep-lor-vp,b", "vit-tiny,grouped-vp,maps"})
  void everyFactorHasAGradientAfterOneStep(String backbone, String prompt, String zeroFactor) {
    ModelSpec spec = ModelSpec.of(INPUT, 3, backbone, null, LotepFamily.defaults(prompt));
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore params = new ParameterStore(tf, 1, name -> name.startsWith("backbone."));
      Placeholder<TFloat32> images = tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(INPUT)));
      BuildContext ctx = BuildContext.root(tf.withSubScope("train"), params, Mode.TRAIN);
      var logits = Classifier.fromScaled(ctx, spec, images).logits();
      var loss = Losses.sparseCrossEntropy(tf, logits, tf.constant(new int[] {0, 1, 2, 1}));
      List<Parameter> trainable = params.trainable();
      TrainOp train = Optimizer.minimize(tf, graph, loss, trainable, OptimizerConfig.of(OptimizerKind.ADAM, 0),
          tf.constant(1e-2f), ctx.updates());
      Map<String, Output<?>> promptGradients = new LinkedHashMap<>();
      for (int i = 0; i < trainable.size(); i++) {
        if (trainable.get(i).name().startsWith("prompt.")) {
          promptGradients.put(trainable.get(i).name(), train.gradients().get(i));
        }
      }
      assertTrue(promptGradients.size() >= 2, promptGradients.keySet().toString());
      assertTrue(trainable.stream().noneMatch(p -> p.name().startsWith("backbone.")), "backbone frozen");

      try (Session session = TestSessions.open(graph);
          TFloat32 feed = Tensors.floats(BATCH, randomImages())) {
        session.initialize();
        Map<String, Float> before = largestGradients(session, images, feed, promptGradients);
        before.forEach((name, largest) -> {
          if (name.endsWith("." + zeroFactor)) {
            assertTrue(largest > 0, name + " gets a gradient at step 0");
          } else {
            assertEquals(0f, largest, name + "'s gradient is zero while the zero factor is zero");
          }
        });
        session.runner().feed(images, feed).addTarget(train.step()).run().close();
        Map<String, Float> after = largestGradients(session, images, feed, promptGradients);
        after.forEach((name, largest) -> assertTrue(largest > 0 && Float.isFinite(largest), name + " after a step: " + largest));
      }
    }
  }

  private static Map<String, Float> largestGradients(
      Session session, Placeholder<TFloat32> images, TFloat32 feed, Map<String, Output<?>> gradients) {
    Session.Runner runner = session.runner().feed(images, feed);
    gradients.values().forEach(runner::fetch);
    Map<String, Float> largest = new LinkedHashMap<>();
    try (Result result = runner.run()) {
      int i = 0;
      for (String name : gradients.keySet()) {
        float max = 0;
        for (float g : Tensors.toFloats(result.get(i++))) {
          max = Math.max(max, Math.abs(g));
        }
        largest.put(name, max);
      }
    }
    return largest;
  }

  private static float[] randomImages() {
    SplittableRandom random = new SplittableRandom(9);
    float[] values = new float[Math.toIntExact(BATCH.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextDouble();
    }
    return values;
  }
}

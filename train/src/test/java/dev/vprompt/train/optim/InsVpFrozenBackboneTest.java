package dev.vprompt.train.optim;

import dev.vprompt.ops.TestSessions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.Classifier;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.graph.ParameterCounts;
import dev.vprompt.graph.prompts.insvp.InsVp;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import dev.vprompt.ops.loss.Losses;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** The paper's protocol: a frozen ViT, and only InsVP's prompters, prompts and the head train. */
class InsVpFrozenBackboneTest {

  @ParameterizedTest
  @ValueSource(strings = {"32x32x3", "28x28x1"})
  void aTrainingStepMovesInsvpAndTheHeadButNotOneBitOfTheBackbone(String input) {
    InputSpec in = InputSpec.parse(input);
    ModelSpec spec = ModelSpec.of(in, 10, "vit-tiny", null, InsVp.defaults());
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore params = new ParameterStore(tf, 5, name -> name.startsWith("backbone."));
      var images = tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(in)));
      BuildContext ctx = BuildContext.root(tf.withSubScope("train"), params, Mode.TRAIN);
      var logits = Classifier.fromScaled(ctx, spec, images).logits();
      var loss = Losses.sparseCrossEntropy(tf, logits, tf.constant(new int[] {0, 1, 2, 3}));
      assertTrue(params.trainable().stream().noneMatch(p -> p.name().startsWith("backbone.")));
      TrainOp train = Optimizer.minimize(tf, graph, loss, params.trainable(),
          OptimizerConfig.of(OptimizerKind.ADAM, 0), tf.constant(1e-3f), ctx.updates());

      ParameterCounts counts = ParameterCounts.of(params);
      assertEquals(counts.backbone(), counts.frozen());
      assertEquals(counts.prompt() + counts.head(), counts.trainable());
      assertEquals(InsVp.defaults().parameterCount(in, spec.createBackbone()), counts.prompt());

      try (Session session = TestSessions.open(graph)) {
        session.initialize();
        Map<String, float[]> before = values(session, params);
        Shape batch = Shape.of(4, in.height(), in.width(), in.channels());
        try (TFloat32 feed = Tensors.floats(batch, randomImages(batch))) {
          session.runner().feed(images, feed).addTarget(train.step()).run().close();
        }
        Map<String, float[]> after = values(session, params);
        for (Parameter p : params.all()) {
          String name = p.name();
          if (name.startsWith("backbone.")) {
            assertArrayEquals(before.get(name), after.get(name), 0f, name + " is frozen");
            assertTrue(Arrays.equals(before.get(name), after.get(name)), name + " bit for bit");
          } else {
            assertTrue(name.startsWith("prompt.insvp.") || name.startsWith("head."), name);
            assertFalse(Arrays.equals(before.get(name), after.get(name)), name + " trains");
          }
        }
      }
    }
  }

  /** Every variable from one run: a run per variable would cost TensorFlow a new executor for each. */
  private static Map<String, float[]> values(Session session, ParameterStore params) {
    Map<String, float[]> values = new LinkedHashMap<>();
    Session.Runner runner = session.runner();
    params.all().forEach(p -> runner.fetch(p.variable()));
    try (Result result = runner.run()) {
      int i = 0;
      for (Parameter p : params.all()) {
        values.put(p.name(), Tensors.toFloats(result.get(i++)));
      }
    }
    return values;
  }

  private static float[] randomImages(Shape shape) {
    SplittableRandom random = new SplittableRandom(17);
    float[] values = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextDouble();
    }
    return values;
  }
}

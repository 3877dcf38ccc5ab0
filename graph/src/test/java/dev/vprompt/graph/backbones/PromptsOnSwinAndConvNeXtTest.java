package dev.vprompt.graph.backbones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.Classifier;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.graph.prompts.Prompt;
import dev.vprompt.graph.prompts.PromptSettings;
import dev.vprompt.graph.prompts.Prompts;
import dev.vprompt.graph.prompts.insvp.InsVp;
import dev.vprompt.graph.prompts.insvp.Level;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Every registered prompt, input-space and deep, builds and runs on a (small) Swin and ConvNeXt through the
 * classifier. InsVP's feature-level prompts are prompt tokens of a ViT (InsVp rejects other backbones): its
 * image level runs.
 */
class PromptsOnSwinAndConvNeXtTest {

  private static final InputSpec INPUT = new InputSpec(32, 32, 3);

  @Test
  void everyPromptRunsOnBoth() {
    List<String> backbones = List.of("swin(patch=4,window=3,dim=8,depths=2-2,heads=1-2,drop_path=0.0)",
        "convnext(depths=1-1-1-1,dims=8-8-16-16)");
    for (String backbone : backbones) {
      for (String name : Prompts.NAMES) {
        Prompt prompt = PromptSettings.of(name).create();
        if (prompt instanceof InsVp insvp) {
          Backbone built = Backbones.create(backbone, INPUT, null);
          assertThrows(IllegalArgumentException.class, () -> insvp.validate(INPUT, built));
          prompt = InsVp.of(Level.IMAGE.parts());
        }
        runs(backbone, name, prompt, INPUT);
      }
    }
  }

  /** Builds {@code prompt} on {@code backbone} through the classifier and checks one batch's logits. */
  static void runs(String backbone, String name, Prompt prompt, InputSpec input) {
    ModelSpec spec = ModelSpec.of(input, 4, backbone, null, prompt);
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      BuildContext root = BuildContext.root(tf, new ParameterStore(tf, 2), Mode.INFER);
      Operand<TFloat32> images = tf.fill(tf.constant(new long[] {2, input.height(), input.width(), input.channels()}),
          tf.constant(0.5f));
      Classifier.Built built = Classifier.fromScaled(root, spec, images);
      assertEquals(spec.createBackbone().blockCount(), built.backbone().blockInputs().size(), name + " on " + backbone);
      session.initialize();
      try (Result result = session.runner().fetch(built.logits()).run()) {
        assertEquals(Shape.of(2, 4), result.get(0).shape(), name + " on " + backbone);
        for (float v : Tensors.toFloats(result.get(0))) {
          assertTrue(Float.isFinite(v), name + " on " + backbone);
        }
      }
    }
  }
}

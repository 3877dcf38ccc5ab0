package dev.vprompt.graph.backbones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.BlockHook;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.prompts.msvp.Msvp;
import dev.vprompt.graph.prompts.Prompt;
import dev.vprompt.graph.prompts.Prompts;
import dev.vprompt.graph.prompts.Contribution;
import dev.vprompt.graph.prompts.PromptSettings;
import dev.vprompt.graph.prompts.insvp.InsVp;
import dev.vprompt.graph.prompts.insvp.Level;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import dev.vprompt.ops.layers.Dense;
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
 * Every registered prompt, input-space and deep, builds on a (small) Swin and ConvNeXt, and those with
 * deep prompts (and one input-space prompt) run. InsVP's
 * feature-level prompts are prompt tokens of a ViT (InsVp rejects other backbones): its image level runs.
 */
class PromptsOnSwinAndConvNeXtTest {

  private static final InputSpec INPUT = new InputSpec(32, 32, 3);

  @Test
  void everyPromptRunsOnBoth() {
    List<Backbone> backbones = List.of(
        new SwinTransformer("swin", INPUT, 4, 3, 8, List.of(2, 2), List.of(1, 2), 2, 0f),
        new ConvNeXt("convnext", INPUT, 4, List.of(1, 1, 1, 1), List.of(8, 8, 16, 16), 7, 2, 1e-6f, 0f));
    for (Backbone backbone : backbones) {
      for (String name : Prompts.NAMES) {
        Prompt prompt = PromptSettings.of(name).create();
        if (prompt instanceof InsVp insvp) {
          assertThrows(IllegalArgumentException.class, () -> insvp.validate(INPUT, backbone));
          prompt = InsVp.of(Level.IMAGE.parts());
        }
        prompt.validate(INPUT, backbone);
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
          Ops tf = Ops.create(graph);
          BuildContext root = BuildContext.root(tf, new ParameterStore(tf, 2), Mode.INFER);
          Operand<TFloat32> images = tf.fill(tf.constant(new long[] {2, 32, 32, 3}), tf.constant(0.5f));
          Contribution applied = prompt.build(root.child("prompt"), images, backbone);
          Operand<TFloat32> logits = Dense.of(4, backbone.headInit())
              .apply(root.child("head"), backbone.features(root.child("backbone"), applied.images(), applied.hook()));
          if (applied.hook() == BlockHook.NONE && !name.equals(Msvp.NAME)) {
            continue; // an input-space prompt only hands the backbone images: built, not run
          }
          session.initialize();
          try (Result result = session.runner().fetch(logits).run()) {
            float[] values = Tensors.toFloats(result.get(0));
            assertEquals(Shape.of(2, 4), result.get(0).shape(), name + " on " + backbone.name());
            for (float v : values) {
              assertTrue(Float.isFinite(v), name + " on " + backbone.name());
            }
          }
        }
      }
    }
  }
}

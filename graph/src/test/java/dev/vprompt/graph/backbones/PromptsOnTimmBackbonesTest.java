package dev.vprompt.graph.backbones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.InputSpec;
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
 * Every registered prompt, input-space and deep, builds and runs on a small timm ViT and ImageNet ResNet;
 * on the ViT also InsVP's feature level (through {@link PatchTokens}), on the ResNet its image level.
 */
class PromptsOnTimmBackbonesTest {

  private static final InputSpec INPUT = new InputSpec(32, 32, 3);

  @Test
  void everyPromptRunsOnBoth() {
    List<Backbone> backbones = List.of(
        Backbones.create("vit(patch=8,dim=24,depth=2,heads=2)", INPUT, null),
        Backbones.create("resnet(block=bottleneck,layers=1-1-1-1,channels=4-4-8-8)", INPUT, null));
    for (Backbone backbone : backbones) {
      for (String name : Prompts.NAMES) {
        Prompt prompt = PromptSettings.of(name).create();
        if (prompt instanceof InsVp && !(backbone instanceof PatchTokens)) {
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
          session.initialize();
          try (Result result = session.runner().fetch(logits).run()) {
            assertEquals(Shape.of(2, 4), result.get(0).shape(), name + " on " + backbone.name());
            for (float v : Tensors.toFloats(result.get(0))) {
              assertTrue(Float.isFinite(v), name + " on " + backbone.name());
            }
          }
        }
      }
    }
  }
}

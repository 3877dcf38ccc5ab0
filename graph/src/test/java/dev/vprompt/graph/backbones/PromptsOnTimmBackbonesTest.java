package dev.vprompt.graph.backbones;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** Every registered prompt builds and runs on a small timm ViT; three representative ones on the ImageNet ResNet. */
class PromptsOnTimmBackbonesTest {

  private static final InputSpec INPUT = new InputSpec(32, 32, 3);

  @Test
  void everyPromptRunsOnBoth() {
    // the ViT takes every prompt (its PatchTokens path is new); the ResNet an additive field through its
    // padded stem, block hooks at every block and InsVP's image level, which the CIFAR ResNet's tests cover too
    for (String name : Prompts.NAMES) {
      PromptsOnSwinAndConvNeXtTest.runs("vit(patch=8,dim=24,depth=2,heads=2)", name, PromptSettings.of(name).create(),
          INPUT);
    }
    for (String name : List.of("msvp", "lotep-cp")) {
      PromptsOnSwinAndConvNeXtTest.runs("resnet(block=bottleneck,layers=1-1-1-1,channels=4-4-8-8)", name,
          PromptSettings.of(name).create(), INPUT);
    }
    PromptsOnSwinAndConvNeXtTest.runs("resnet(block=bottleneck,layers=1-1-1-1,channels=4-4-8-8)", "insvp",
        InsVp.of(Level.IMAGE.parts()), INPUT);
  }
}

package dev.vprompt.graph;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.prompts.msvp.Msvp;
import dev.vprompt.graph.prompts.baselines.NoPrompt;
import dev.vprompt.graph.prompts.Prompts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad settings fail in Java with a message naming the problem, before TensorFlow sees a shape. */
class InvalidSettingsTest {

  private static void rejects(String fragment, Executable executable) {
    var e = assertThrows(IllegalArgumentException.class, executable);
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void unknownNamesListTheKnownOnes() {
    rejects("known: cnn, resnet18", () -> ModelSpec.of(InputSpec.parse("32x32x3"), 10, "vgg", null, new NoPrompt())
        .createBackbone());
    rejects("known: none, msvp", () -> Prompts.create("lotep-xx"));
  }

  @Test
  void shapesThatCannotWork() {
    rejects("does not divide", () -> ModelSpec.of(InputSpec.parse("32x32x3"), 10, "vit-tiny", 5, new NoPrompt())
        .createBackbone());
    rejects("applies to vit-tiny only", () -> ModelSpec.of(InputSpec.parse("32x32x3"), 10, "cnn", 4, new NoPrompt())
        .createBackbone());
    rejects("larger than the image", () -> ModelSpec.of(InputSpec.parse("6x6x1"), 10, "resnet18", null,
        Msvp.defaults()).createBackbone());
    rejects("at least 8x8", () -> ModelSpec.of(InputSpec.parse("4x4x1"), 10, "cnn", null, new NoPrompt())
        .createBackbone());
    rejects("at least 2 classes", () -> ModelSpec.of(InputSpec.parse("28x28x1"), 0, "cnn", null, new NoPrompt()));
  }

  @Test
  void malformedInputShapes() {
    for (String bad : new String[] {"32x32", "32x32x", "axbxc", "0x32x3", "32x32x0", "", "32 x 32 x 3"}) {
      assertThrows(IllegalArgumentException.class, () -> InputSpec.parse(bad), bad);
    }
    rejects("unknown MSVP fusion", () -> Msvp.Fusion.parse("multiply"));
    rejects("unknown MSVP scales", () -> Msvp.Scales.parse("local"));
    rejects("must be at least 1", () -> new Msvp(Msvp.Scales.FULL, Msvp.Fusion.ADD, 0, 8, 0.01f));
  }
}

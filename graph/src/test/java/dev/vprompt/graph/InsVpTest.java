package dev.vprompt.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.backbones.Backbones;
import dev.vprompt.graph.prompts.Prompts;
import dev.vprompt.graph.prompts.insvp.InsVp;
import dev.vprompt.graph.prompts.insvp.Level;
import dev.vprompt.graph.prompts.insvp.Part;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.ParameterStore;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** InsVP's image-level prompt, its shapes, parameter counts, variable names and rejected settings. */
class InsVpTest {

  private static final InputSpec RGB = new InputSpec(32, 32, 3);
  private static final InputSpec GREY = new InputSpec(28, 28, 1);

  private static InsVp withParts(Part... parts) {
    return InsVp.of(EnumSet.of(parts[0], parts));
  }

  private static long promptCount(InputSpec input, String backbone, InsVp insvp) {
    return ParameterCounts.of(ModelSpec.of(input, 10, backbone, null, insvp)).prompt();
  }

  @ParameterizedTest
  @CsvSource({"vit-tiny,32x32x3", "vit-tiny,28x28x1", "cnn,32x32x3", "cnn,28x28x1", "resnet18,32x32x3"})
  void theImagePromptKeepsTheImageShapeInFrontOfAnyBackbone(String backbone, String input) {
    InputSpec in = InputSpec.parse(input);
    InsVp insvp = backbone.equals("vit-tiny") ? InsVp.defaults() : InsVp.of(Level.IMAGE.parts());
    Shape shape = Shape.of(2, in.height(), in.width(), in.channels());
    var both = ModelHarness.inBothModes(ModelSpec.of(in, 7, backbone, null, insvp), 1, shape,
        ModelHarness.randomImages(shape, 2));
    for (Mode mode : Mode.values()) {
      assertArrayEquals(new long[] {-1, in.height(), in.width(), in.channels()},
          both.promptedShape().get(mode), mode.toString());
      float[] logits = both.logits().get(mode);
      assertEquals(2 * 7, logits.length, mode.toString());
      for (float v : logits) {
        assertTrue(Float.isFinite(v), mode.toString());
      }
    }
  }

  /** The image prompters' last layers start near zero, so the backbone first sees almost the clean image. */
  @Test
  void theImagePromptStartsSmall() {
    try (var model = new ModelHarness(ModelSpec.of(RGB, 10, "vit-tiny", null, InsVp.defaults()), Mode.INFER, 3)) {
      Shape shape = Shape.of(2, 32, 32, 3);
      float[] images = ModelHarness.randomImages(shape, 5);
      float[] normalised = model.run(model.built.normalised(), shape, images);
      float[] prompted = model.run(model.built.prompted(), shape, images);
      double largest = 0;
      for (int i = 0; i < images.length; i++) {
        largest = Math.max(largest, Math.abs(prompted[i] - normalised[i]));
      }
      assertTrue(largest > 0 && largest < 0.05, "largest |p_I| " + largest);
    }
  }

  /** One function for every patch: a changed patch changes its own prompt only; equal patches get equal ones. */
  @Test
  void thePatchPrompterMapsEachPatchOnItsOwn() {
    InputSpec in = new InputSpec(8, 8, 2);
    InsVp patchOnly = new InsVp(EnumSet.of(Part.PATCH), 0.7f, 0.5f, 9, null, 6, 5, 8, 4, 2, 0f);
    try (var model = new ModelHarness(ModelSpec.of(in, 3, "cnn", null, patchOnly), Mode.INFER, 4)) {
      Shape shape = Shape.of(1, 8, 8, 2);
      float[] image = ModelHarness.randomImages(shape, 1);
      float[] changed = image.clone();
      changed[(5 * 8 + 2) * 2 + 1] += 0.5f; // row 5, column 2: the bottom-left patch
      float[] before = prompt(model, shape, image);
      float[] after = prompt(model, shape, changed);
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          for (int c = 0; c < 2; c++) {
            int i = (y * 8 + x) * 2 + c;
            if (y >= 4 && x < 4) {
              continue;
            }
            assertEquals(before[i], after[i], 0f, "pixel " + y + "," + x + " is outside the changed patch");
          }
        }
      }
      assertNotEquals(before[(6 * 8 + 1) * 2], after[(6 * 8 + 1) * 2], "inside the changed patch");
      float[] tiled = new float[image.length];
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          for (int c = 0; c < 2; c++) {
            tiled[(y * 8 + x) * 2 + c] = image[((y % 4) * 8 + (x % 4)) * 2 + c];
          }
        }
      }
      float[] same = prompt(model, shape, tiled);
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          for (int c = 0; c < 2; c++) {
            assertEquals(same[((y % 4) * 8 + (x % 4)) * 2 + c], same[(y * 8 + x) * 2 + c], 1e-6f);
          }
        }
      }
    }
  }

  private static float[] prompt(ModelHarness model, Shape shape, float[] images) {
    float[] prompted = model.run(model.built.prompted(), shape, images);
    float[] normalised = model.run(model.built.normalised(), shape, images);
    for (int i = 0; i < prompted.length; i++) {
      prompted[i] -= normalised[i];
    }
    return prompted;
  }

  /** {@code p_I = b_I p_g + (1 - b_I) p_l}: at b_I = 1 the patch prompter has no effect, at 0 the global. */
  @Test
  void theImageWeightMixesTheTwoPrompters() {
    Shape shape = Shape.of(1, 8, 8, 1);
    float[] images = ModelHarness.randomImages(shape, 8);
    InputSpec in = new InputSpec(8, 8, 1);
    float[][] alone = new float[2][];
    float[][] mixed = new float[3][];
    float[] weights = {0f, 1f, 0.25f};
    List<Set<Part>> single = List.of(EnumSet.of(Part.PATCH), EnumSet.of(Part.GLOBAL));
    for (int k = 0; k < 2; k++) {
      InsVp insvp = new InsVp(single.get(k), 0.5f, 0.5f, 9, null, 3, 4, 8, 4, 2, 0f);
      try (var model = new ModelHarness(ModelSpec.of(in, 3, "cnn", null, insvp), Mode.INFER, 6)) {
        alone[k] = prompt(model, shape, images);
      }
    }
    for (int k = 0; k < 3; k++) {
      InsVp insvp = new InsVp(Level.IMAGE.parts(), weights[k], 0.5f, 9, null, 3, 4, 8, 4, 2, 0f);
      try (var model = new ModelHarness(ModelSpec.of(in, 3, "cnn", null, insvp), Mode.INFER, 6)) {
        mixed[k] = prompt(model, shape, images);
      }
    }
    assertArrayEquals(alone[0], mixed[0], 1e-7f, "b_I = 0: patch prompt only");
    assertArrayEquals(alone[1], mixed[1], 1e-7f, "b_I = 1: global prompt only");
    for (int i = 0; i < images.length; i++) {
      assertEquals(0.25f * alone[1][i] + 0.75f * alone[0][i], mixed[2][i], 1e-6f);
    }
  }

  /**
   * Closed forms (C channels, patch p, L_p = 9, d = 192, 12 blocks, widths 6 / 16 / 32): global
   * {@code 9C*6 + 6 + 9*6*C + C}, patch {@code 2 * p^2 C * 16 + 16 + p^2 C}, common {@code 12 * 9 * 192},
   * specific {@code 9C*32 + 32 + 2 (9*32*32 + 32) + 32 * 1728 + 1728}.
   */
  @Test
  void defaultCountsOnVitTiny() {
    long common = 12 * 9 * 192;
    long specificTail = 2 * (9 * 32 * 32 + 32) + 32 * 1728 + 1728;
    long rgb = (9 * 3 * 6 + 6 + 9 * 6 * 3 + 3) + (48 * 16 + 16 + 16 * 48 + 48) + common + (9 * 3 * 32 + 32) + specificTail;
    long grey = (9 * 6 + 6 + 9 * 6 + 1) + (49 * 16 + 16 + 16 * 49 + 49) + common + (9 * 32 + 32) + specificTail;
    assertEquals(99_085, rgb);
    assertEquals(98_324, grey);
    // each graph built once: building a ViT-Tiny graph costs seconds
    ParameterCounts counts = ParameterCounts.of(ModelSpec.of(RGB, 10, "vit-tiny", null, InsVp.defaults()));
    long greyCount = promptCount(GREY, "vit-tiny", InsVp.defaults());
    assertEquals(rgb, counts.prompt());
    assertEquals(grey, greyCount);
    assertEquals(rgb, InsVp.defaults().parameterCount(RGB, Backbones.create("vit-tiny", RGB, null)));
    assertEquals(grey, InsVp.defaults().parameterCount(GREY, Backbones.create("vit-tiny", GREY, null)));
    long unprompted = ParameterCounts.of(ModelSpec.of(RGB, 10, "vit-tiny", null, Prompts.create("none"))).total();
    assertEquals(unprompted + rgb, counts.total());
  }

  /** Table 5's rows (patch; + global; + common; + specific) and the image level before other backbones. */
  @Test
  void ablationAndImageLevelCounts() {
    assertEquals(1600, promptCount(RGB, "vit-tiny", withParts(Part.PATCH)));
    assertEquals(1600 + 333, promptCount(RGB, "vit-tiny", withParts(Part.PATCH, Part.GLOBAL)));
    assertEquals(1933 + 20_736, promptCount(RGB, "vit-tiny", withParts(Part.PATCH, Part.GLOBAL, Part.COMMON)));
    assertEquals(99_085, promptCount(RGB, "vit-tiny", withParts(Part.PATCH, Part.GLOBAL, Part.COMMON, Part.SPECIFIC)));
    assertEquals(1933, promptCount(RGB, "cnn", InsVp.of(Level.IMAGE.parts())));
    assertEquals(1933, promptCount(RGB, "resnet18", InsVp.of(Level.IMAGE.parts())));
    assertEquals(115 + 1633, promptCount(GREY, "cnn", InsVp.of(Level.IMAGE.parts())));
    InsVp sixBlocks = new InsVp(EnumSet.of(Part.COMMON), 0.7f, 0.5f, 4, 6, 6, 16, 32, null, 2, 0.1f);
    assertEquals(6 * 4 * 192, promptCount(RGB, "vit-tiny", sixBlocks));
  }

  @Test
  void variablesLiveUnderPromptInsvp() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore store = new ParameterStore(tf, 1);
      var images = tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(RGB)));
      ModelSpec spec = ModelSpec.of(RGB, 10, "vit-tiny", null, InsVp.defaults());
      Classifier.fromScaled(BuildContext.root(tf.withSubScope("train"), store, Mode.TRAIN), spec, images);
      int afterTraining = store.all().size();
      Classifier.fromScaled(BuildContext.root(tf.withSubScope("infer"), store, Mode.INFER), spec, images);
      assertEquals(afterTraining, store.all().size(), "the inference build reuses every variable");
      List<String> names = new ArrayList<>();
      store.select(p -> p.name().startsWith("prompt.")).forEach(p -> names.add(p.name()));
      List<String> expected = new ArrayList<>(List.of(
          "prompt.insvp.global.conv1.kernel", "prompt.insvp.global.conv1.bias",
          "prompt.insvp.global.conv2.kernel", "prompt.insvp.global.conv2.bias",
          "prompt.insvp.patch.fc1.kernel", "prompt.insvp.patch.fc1.bias",
          "prompt.insvp.patch.fc2.kernel", "prompt.insvp.patch.fc2.bias"));
      for (int j = 1; j <= 12; j++) {
        expected.add("prompt.insvp.common.block" + j);
      }
      for (int j = 1; j <= 3; j++) {
        expected.add("prompt.insvp.specific.conv" + j + ".kernel");
        expected.add("prompt.insvp.specific.conv" + j + ".bias");
      }
      expected.add("prompt.insvp.specific.fc.kernel");
      expected.add("prompt.insvp.specific.fc.bias");
      assertEquals(expected, names);
      assertEquals(Shape.of(9, 192), store.get("prompt.insvp.common.block3").shape());
      assertEquals(Shape.of(32, 9 * 192), store.get("prompt.insvp.specific.fc.kernel").shape());
      assertEquals(Shape.of(3, 3, 3, 6), store.get("prompt.insvp.global.conv1.kernel").shape());
      assertEquals(Shape.of(48, 16), store.get("prompt.insvp.patch.fc1.kernel").shape());
    }
  }

  private static void rejects(String fragment, Executable executable) {
    var e = assertThrows(IllegalArgumentException.class, executable);
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  private static Executable build(String input, String backbone, Integer patch, InsVp insvp) {
    return () -> ModelSpec.of(InputSpec.parse(input), 10, backbone, patch, insvp).createBackbone();
  }

  @Test
  void badSettingsAreRejectedBeforeAnyGraph() {
    rejects("need vit-tiny, not cnn; use --insvp-level image", build("32x32x3", "cnn", null, InsVp.defaults()));
    rejects("need vit-tiny, not resnet18", build("32x32x3", "resnet18", null, InsVp.of(Level.FEATURE.parts())));
    rejects("(specific) need vit-tiny", build("32x32x3", "cnn", null, InsVp.of(EnumSet.of(Part.SPECIFIC))));
    rejects("exceeds the 12 blocks", build("32x32x3", "vit-tiny", null, blocks(13)));
    rejects("does not divide the input 30x30", build("30x30x3", "cnn", null,
        new InsVp(Level.IMAGE.parts(), 0.7f, 0.5f, 9, null, 6, 16, 32, 4, 2, 0.1f)));
    rejects("--insvp-bi (b_I) must be in [0, 1]", () -> imageWeight(1.5f));
    rejects("--insvp-bi (b_I) must be in [0, 1]", () -> imageWeight(-0.1f));
    rejects("--insvp-bi (b_I) must be in [0, 1]", () -> imageWeight(Float.NaN));
    rejects("--insvp-bf (b_F) must be in [0, 1]",
        () -> new InsVp(Level.BOTH.parts(), 0.7f, 2f, 9, null, 6, 16, 32, null, 2, 0.1f));
    rejects("--insvp-lp must be at least 1",
        () -> new InsVp(Level.BOTH.parts(), 0.7f, 0.5f, 0, null, 6, 16, 32, null, 2, 0.1f));
    rejects("--insvp-blocks must be at least 1", () -> blocks(0));
    rejects("at least one part", () -> InsVp.of(EnumSet.noneOf(Part.class)));
    rejects("--insvp-dropout must be in [0, 1)",
        () -> new InsVp(Level.BOTH.parts(), 0.7f, 0.5f, 9, null, 6, 16, 32, null, 2, 1f));
    rejects("--insvp-dilation must be at least 1",
        () -> new InsVp(Level.BOTH.parts(), 0.7f, 0.5f, 9, null, 6, 16, 32, null, 0, 0.1f));
    rejects("unknown InsVP part 'prompt'", () -> Part.parse("prompt"));
    rejects("unknown InsVP level 'pixel'", () -> Level.parse("pixel"));
    rejects("'common' is not in --insvp-level image", () -> Part.resolve(Level.IMAGE, List.of("patch", "common")));
    assertEquals(EnumSet.of(Part.PATCH, Part.COMMON), Part.resolve(Level.BOTH, List.of("common", "patch")));
    assertEquals(Level.FEATURE.parts(), Part.resolve(Level.FEATURE, null));
  }

  private static InsVp imageWeight(float weight) {
    return new InsVp(Level.BOTH.parts(), weight, 0.5f, 9, null, 6, 16, 32, null, 2, 0.1f);
  }

  private static InsVp blocks(int blocks) {
    return new InsVp(Level.BOTH.parts(), 0.7f, 0.5f, 9, blocks, 6, 16, 32, null, 2, 0.1f);
  }
}

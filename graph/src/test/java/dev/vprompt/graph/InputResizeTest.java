package dev.vprompt.graph;

import dev.vprompt.ops.TestSessions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vprompt.graph.InputResize.Interpolation;
import dev.vprompt.graph.backbones.Backbones;
import dev.vprompt.graph.prompts.Contribution;
import dev.vprompt.graph.prompts.baselines.VpPad;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/** The in-graph resize from the stored size to the backbone's input, and a classifier built through it. */
class InputResizeTest {

  /**
   * 2x2 -> 4x4 with half-pixel centres: output pixel d samples the source at {@code (d + 0.5) / 2 - 0.5},
   * i.e. -0.25, 0.25, 0.75, 1.25, clamped at the border: weights of (x0, x1) are (1, 0), (.75, .25), (.25, .75),
   * (0, 1). For {@code img[r][c] = 2r + c} the result is {@code 2 u[i] + u[j]} with {@code u = 0, .25, .75, 1}.
   */
  @Test
  void bilinearIsHalfPixelAsWorkedByHand() {
    float[] u = {0f, 0.25f, 0.75f, 1f};
    float[] expected = new float[16];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        expected[4 * i + j] = 2 * u[i] + u[j];
      }
    }
    assertArrayEquals(expected, resize(new InputResize(4, Interpolation.BILINEAR)), 1e-6f);
    // nearest, PyTorch's mode="nearest": source floor(d * 2 / 4) = 0, 0, 1, 1
    float[] nearest = new float[16];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        nearest[4 * i + j] = 2 * (i / 2) + (j / 2);
      }
    }
    assertArrayEquals(nearest, resize(new InputResize(4, Interpolation.NEAREST)), 0f);
  }

  private static float[] resize(InputResize resize) {
    try (Graph graph = new Graph(); Session session = TestSessions.open(graph)) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> image = tf.constant(new float[][][][] {{{{0}, {1}}, {{2}, {3}}}});
      try (Result result = session.runner().fetch(resize.apply(tf, image)).run()) {
        assertEquals(Shape.of(1, 4, 4, 1), result.get(0).shape());
        return Tensors.toFloats(result.get(0));
      }
    }
  }

  /**
   * A 28x28x1 batch, resized to 32 in the graph: the backbone and the prompt are built at 32 (vp-pad's frame
   * is a 32x32 field), and the logits equal those of the same weights fed the resized images directly.
   */
  @Test
  void theClassifierResizesBeforeThePromptAndTheBackbone() {
    InputSpec stored = new InputSpec(28, 28, 1);
    float[] mean = {0.3f};
    float[] std = {0.4f};
    ModelSpec resized = new ModelSpec(stored, 3, "cnn", null, new VpPad(2), mean, std,
        new InputResize(32, Interpolation.BILINEAR));
    assertEquals(new InputSpec(32, 32, 1), resized.backboneInput());
    ModelSpec direct = new ModelSpec(new InputSpec(32, 32, 1), 3, "cnn", null, new VpPad(2), mean, std);
    byte[] bytes = new byte[2 * 28 * 28];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) ((i * 37) % 256);
    }
    try (Graph graph = new Graph(); Session session = TestSessions.open(graph)) {
      Ops tf = Ops.create(graph);
      ParameterStore params = new ParameterStore(tf, 5);
      var pixels = tf.placeholder(TUint8.class, Placeholder.shape(Classifier.batchShape(stored)));
      Classifier.Built viaResize = Classifier.fromPixels(
          BuildContext.root(tf.withSubScope("a"), params, Mode.INFER), resized, pixels);
      Contribution prompt = viaResize.prompt();
      assertArrayEquals(new long[] {1, 32, 32, 1}, prompt.field().shape().asArray(), "the prompt acts at 32x32");
      var fed = tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(direct.input())));
      Classifier.Built plain = Classifier.fromScaled(BuildContext.root(tf.withSubScope("b"), params, Mode.INFER),
          direct, fed);
      Operand<TFloat32> scaledUp = dev.vprompt.ops.layers.Resize.bilinear(tf,
          tf.math.mul(tf.dtypes.cast(pixels, TFloat32.class), tf.constant(1f / 255f)), 32, 32);
      session.initialize();
      try (TUint8 feed = Tensors.bytes(Shape.of(2, 28, 28, 1), bytes);
          Result first = session.runner().feed(pixels, feed).fetch(viaResize.logits()).fetch(scaledUp).run();
          Result second = session.runner().feed(fed, (TFloat32) first.get(1)).fetch(plain.logits()).run()) {
        float[] logits = Tensors.toFloats(first.get(0));
        assertEquals(6, logits.length);
        assertArrayEquals(Tensors.toFloats(second.get(0)), logits, 1e-5f);
      }
    }
  }

  /**
   * The input-space prompts size themselves from the images they are given, i.e. after the resize: LoR-VP's B·A
   * and MSVP's upsampled maps are fields of the backbone's 32x32, not of the stored 28x28.
   */
  @Test
  void inputSpacePromptsActAtTheBackbonesResolution() {
    InputSpec stored = new InputSpec(28, 28, 1);
    for (String name : java.util.List.of("lor-vp", "msvp", "vp-pad")) {
      ModelSpec spec = new ModelSpec(stored, 3, "cnn", null, dev.vprompt.graph.prompts.Prompts.create(name),
          new float[] {0f}, new float[] {1f}, new InputResize(32, Interpolation.BILINEAR));
      try (Graph graph = new Graph()) {
        Ops tf = Ops.create(graph);
        var pixels = tf.placeholder(TUint8.class, Placeholder.shape(Classifier.batchShape(stored)));
        Classifier.Built built = Classifier.fromPixels(
            BuildContext.root(tf, new ParameterStore(tf, 1), Mode.INFER), spec, pixels);
        assertArrayEquals(new long[] {1, 32, 32, 1}, built.prompt().field().shape().asArray(), name);
        assertArrayEquals(new long[] {-1, 32, 32, 1}, built.prompted().shape().asArray(), name);
      }
    }
  }

  @Test
  void pretrainedBackbonesDeclareTheirInputSize() {
    assertEquals(224, Backbones.nativeSize("vit-b16"));
    assertEquals(224, Backbones.nativeSize("resnet50-in"));
    assertEquals(224, Backbones.nativeSize("swin-b"));
    assertEquals(224, Backbones.nativeSize("convnext-b"));
    assertNull(Backbones.nativeSize("cnn"), "trained here at the data's size");
    assertEquals("bilinear", Interpolation.parse("Bilinear").label());
    assertThrows(InvalidOptionException.class, () -> Interpolation.parse("bicubic"));
    assertThrows(InvalidOptionException.class, () -> new InputResize(0, null));
  }
}

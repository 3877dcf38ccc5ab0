package dev.vprompt.graph.backbones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.Classifier;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.graph.prompts.baselines.NoPrompt;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import dev.vprompt.ops.weights.SafetensorsFile;
import dev.vprompt.ops.weights.SessionWeights;
import dev.vprompt.ops.weights.WeightSource;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Runs a timm fixture (testdata/pretrained: weights with timm_class / timm_kwargs metadata, and timm's
 * eval-mode outputs for a fixed input) through vprompt's graph and compares. Shared with the Swin and
 * ConvNeXt tests.
 */
public final class TimmFixtures {
  private TimmFixtures() {}

  public static Path file(String name) {
    return Path.of(System.getProperty("vprompt.home", ".."), "testdata", "pretrained", name);
  }

  /** The fixture's logits and pre-logits agree with timm's within 1e-4 of the largest magnitude. */
  public static void assertMatchesTimm(String fixture) throws Exception {
    try (SafetensorsFile weights = SafetensorsFile.open(file(fixture + ".safetensors"));
        SafetensorsFile io = SafetensorsFile.open(file(fixture + ".io.safetensors"))) {
      TimmArchitecture arch = TimmArchitecture.ofTimm(null, weights.metadata().get("timm_class"),
          weights.metadata().get("timm_kwargs"));
      long[] nchw = io.entry("input").shape();
      InputSpec input = new InputSpec((int) nchw[2], (int) nchw[3], (int) nchw[1]);
      float[] expectedLogits = io.floats("logits");
      float[] expectedFeatures = io.floats("pre_logits");
      int classes = (int) io.entry("logits").shape()[1];
      try (Graph graph = new Graph(); Session session = new Session(graph)) {
        Ops tf = Ops.create(graph);
        ParameterStore store = new ParameterStore(tf, 0);
        Placeholder<TFloat32> images = tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(input)));
        ModelSpec spec = ModelSpec.of(input, classes, arch.backbone(), null, new NoPrompt());
        Classifier.Built built = Classifier.fromScaled(BuildContext.root(tf, store, Mode.INFER), spec, images);
        Pretrained backbone = (Pretrained) spec.createBackbone();
        SessionWeights.load(tf, session, store, name -> true, backbone.timmWeights(), WeightSource.of(weights));
        float[] nhwc = toNhwc(io.floats("input"), nchw);
        try (TFloat32 feed = Tensors.floats(Shape.of(nchw[0], input.height(), input.width(), input.channels()), nhwc);
            Result out = session.runner().feed(images, feed).fetch(built.logits()).fetch(built.features()).run()) {
          assertClose(fixture + " logits", expectedLogits, Tensors.toFloats(out.get(0)));
          assertClose(fixture + " pre_logits", expectedFeatures, Tensors.toFloats(out.get(1)));
        }
      }
    }
  }

  static float[] toNhwc(float[] nchw, long[] shape) {
    int n = (int) shape[0];
    int c = (int) shape[1];
    int h = (int) shape[2];
    int w = (int) shape[3];
    float[] out = new float[nchw.length];
    for (int b = 0; b < n; b++) {
      for (int ch = 0; ch < c; ch++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            out[((b * h + y) * w + x) * c + ch] = nchw[((b * c + ch) * h + y) * w + x];
          }
        }
      }
    }
    return out;
  }

  static void assertClose(String what, float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length, what + " size");
    double largest = 0;
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      largest = Math.max(largest, Math.abs(expected[i]));
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(largest > 0, what + " is all zeros");
    assertTrue(worst <= 1e-4 * largest, what + ": largest difference " + worst + " exceeds 1e-4 x " + largest);
  }
}

package dev.vprompt.graph.backbones;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vprompt.graph.BlockHook;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import dev.vprompt.ops.layers.Dense;
import dev.vprompt.ops.weights.SafetensorsFile;
import dev.vprompt.ops.weights.SessionWeights;
import dev.vprompt.ops.weights.WeightMapping;
import dev.vprompt.ops.weights.WeightSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The tiny timm models of testdata/pretrained (random weights, made by timm 1.0.29): imported through
 * the Swin / ConvNeXt mappings, the Java graphs give timm's logits and pre-logits for timm's input.
 */
class TimmParityTest {

  private static final Path FIXTURES = Path.of("..", "testdata", "pretrained");
  private static final double TOLERANCE = 1e-4;

  @ParameterizedTest
  @ValueSource(strings = {"swin-test", "convnext-test"})
  void importedWeightsGiveTimmsOutputs(String fixture) throws Exception {
    try (SafetensorsFile weights = SafetensorsFile.open(FIXTURES.resolve(fixture + ".safetensors"));
        SafetensorsFile io = SafetensorsFile.open(FIXTURES.resolve(fixture + ".io.safetensors"));
        Graph graph = new Graph();
        Session session = new Session(graph)) {
      Map<String, Object> kwargs = new HashMap<>(new ObjectMapper().readValue(weights.metadata().get("timm_kwargs"),
          new TypeReference<Map<String, Object>>() {}));
      int classes = ((Number) kwargs.get("num_classes")).intValue();
      long[] in = io.entry("input").shape();
      InputSpec input = new InputSpec((int) in[2], (int) in[3], (int) in[1]);
      Backbone backbone;
      WeightMapping mapping;
      if (weights.metadata().get("timm_class").equals("SwinTransformer")) {
        SwinTransformer swin = SwinTransformer.fromTimmKwargs(kwargs);
        backbone = swin;
        mapping = SwinWeights.timm(swin, true);
      } else {
        ConvNeXt convnext = ConvNeXt.fromTimmKwargs(kwargs, input);
        backbone = convnext;
        mapping = ConvNeXtWeights.timm(convnext, true);
      }
      Ops tf = Ops.create(graph);
      ParameterStore store = new ParameterStore(tf, 7);
      Placeholder<TFloat32> nchw = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(in)));
      Operand<TFloat32> images = tf.linalg.transpose(nchw, tf.constant(new int[] {0, 2, 3, 1}));
      BuildContext root = BuildContext.root(tf.withSubScope("infer"), store, Mode.INFER);
      List<Shape> blockInputs = new ArrayList<>();
      Operand<TFloat32> features = backbone.features(root.child("backbone"), images, new BlockHook() {
        @Override
        public Operand<TFloat32> beforeBlock(int block, Operand<TFloat32> x) {
          blockInputs.add(x.shape());
          return x;
        }
      });
      Operand<TFloat32> logits = Dense.of(classes, backbone.headInit()).apply(root.child("head"), features);
      assertEquals(backbone.blockCount(), blockInputs.size());
      assertEquals(4, blockInputs.get(0).numDimensions(), "blocks see [B, H, W, C] maps");
      session.initialize();
      SessionWeights.load(tf, session, store, name -> true, mapping, WeightSource.of(weights));
      try (TFloat32 x = Tensors.floats(Shape.of(in), io.floats("input"));
          Result result = session.runner().feed(nchw, x).fetch(logits).fetch(features).run()) {
        assertClose(fixture + " logits", io.floats("logits"), Tensors.toFloats(result.get(0)));
        assertClose(fixture + " pre_logits", io.floats("pre_logits"), Tensors.toFloats(result.get(1)));
        assertArrayEquals(io.entry("pre_logits").shape(), result.get(1).shape().asArray());
      }
    }
  }

  /** Every value within {@link #TOLERANCE} of the largest magnitude of timm's. */
  private static void assertClose(String what, float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length, what);
    double scale = 0;
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(scale > 0, what + " are all zero");
    assertTrue(worst <= TOLERANCE * scale, what + ": largest difference " + worst + " vs largest magnitude " + scale);
  }
}

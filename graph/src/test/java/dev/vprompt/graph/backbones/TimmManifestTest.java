package dev.vprompt.graph.backbones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.graph.ParameterCounts;
import dev.vprompt.graph.Classifier;
import dev.vprompt.graph.prompts.NoPrompt;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.weights.VariableShapes;
import dev.vprompt.ops.weights.WeightMapping;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The full-size graphs against the exact names and shapes of timm's real checkpoints (manifests made by
 * timm 1.0.29 on the meta device): the mapping uses every name with the right shape and fills every
 * variable, and the parameter count is timm's.
 */
class TimmManifestTest {

  private static final Path MANIFESTS = Path.of("..", "testdata", "pretrained", "manifests");

  @ParameterizedTest
  @CsvSource({"swin-b,swin_base_patch4_window7_224,87768224", "convnext-b,convnext_base,88591464"})
  void theFullSizeMappingConsumesTheRealCheckpoint(String variant, String manifest, long timmParameters)
      throws Exception {
    Map<String, long[]> names = new LinkedHashMap<>();
    new ObjectMapper().readValue(MANIFESTS.resolve(manifest + ".json").toFile(),
            new TypeReference<Map<String, List<Long>>>() {})
        .forEach((name, shape) -> names.put(name, shape.stream().mapToLong(Long::longValue).toArray()));
    ModelSpec spec = ModelSpec.of(new InputSpec(224, 224, 3), 1000, variant, null, new NoPrompt());
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore store = new ParameterStore(tf, 0);
      Placeholder<TFloat32> images = tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(spec.input())));
      Backbone backbone = spec.createBackbone();
      Classifier.fromScaled(BuildContext.root(tf.withSubScope("infer"), store, Mode.INFER), spec, images);
      WeightMapping mapping = backbone instanceof SwinTransformer swin
          ? SwinWeights.timm(swin, true) : ConvNeXtWeights.timm((ConvNeXt) backbone, true);
      Map<String, long[]> variables = VariableShapes.of(store, name -> true);
      assertEquals(List.of(), mapping.problems(names, variables));
      assertEquals(names.size(), mapping.rules().values().stream().mapToLong(r -> r.sources().size()).sum(),
          "each tensor fills exactly one variable");
      assertEquals(timmParameters, ParameterCounts.of(store).total());

      // and the check can fail: a tensor missing, one mis-shaped, one extra
      Map<String, long[]> broken = new LinkedHashMap<>(names);
      List<String> keys = List.copyOf(names.keySet());
      String first = keys.get(0);
      broken.remove(first);
      broken.put(keys.get(1), new long[] {7});
      broken.put("extra.weight", new long[] {1});
      List<String> problems = mapping.problems(broken, variables);
      assertTrue(problems.stream().anyMatch(p -> p.startsWith("missing from the file: " + first)), problems.toString());
      assertTrue(problems.stream().anyMatch(p -> p.startsWith("wrong shape: ")), problems.toString());
      assertTrue(problems.stream().anyMatch(p -> p.startsWith("unused by the model: extra.weight")), problems.toString());
    }
  }
}

package dev.vprompt.graph.backbones;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vprompt.graph.Classifier;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.graph.prompts.baselines.NoPrompt;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.weights.VariableShapes;
import dev.vprompt.ops.weights.WeightMapping;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The full-size checkpoints' names and shapes (testdata/pretrained/manifests, from timm on the meta
 * device) against a full-size graph's variables. The graph is only built, never run, so no weights are
 * allocated. Shared with the Swin and ConvNeXt tests.
 */
public final class TimmManifests {
  private TimmManifests() {}

  public static Map<String, long[]> read(String timmName) throws IOException {
    JsonNode root = new ObjectMapper().readTree(TimmFixtures.file("manifests/" + timmName + ".json").toFile());
    Map<String, long[]> shapes = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      long[] shape = new long[e.getValue().size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = e.getValue().get(i).asLong();
      }
      shapes.put(e.getKey(), shape);
    }
    return shapes;
  }

  /** Every problem of mapping the manifest into {@code backbone} at 224 x 224 x 3 with its head's classes. */
  public static List<String> problems(String backbone, Map<String, long[]> manifest, String headWeight) {
    int classes = (int) manifest.get(headWeight)[0];
    InputSpec input = new InputSpec(224, 224, 3);
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore store = new ParameterStore(tf, 0);
      ModelSpec spec = ModelSpec.of(input, classes, backbone, null, new NoPrompt());
      Classifier.fromScaled(BuildContext.root(tf, store, Mode.INFER), spec,
          tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(input))));
      WeightMapping mapping = ((Pretrained) spec.createBackbone()).timmWeights();
      return mapping.problems(manifest, VariableShapes.of(store, name -> true));
    }
  }
}

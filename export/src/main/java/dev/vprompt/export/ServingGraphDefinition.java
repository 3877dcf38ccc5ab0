package dev.vprompt.export;

import dev.vprompt.graph.ModelSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Signature;
import org.tensorflow.proto.GraphDef;

/**
 * The serving graph of a spec as the exporter builds it, with, per signature, the ops it fetches and the
 * op it feeds: for checks of the graph itself (which ops have GPU kernels) without a checkpoint. The
 * prompt is not folded here; folding replaces an additive prompt's ops by one constant and one add.
 */
public record ServingGraphDefinition(GraphDef graph, Map<String, List<String>> fetched, Map<String, String> fed) {

  public static ServingGraphDefinition of(ModelSpec spec) {
    try (Graph graph = new Graph()) {
      ServingGraph serving = ServingGraph.build(graph, spec);
      Map<String, List<String>> fetched = new LinkedHashMap<>();
      Map<String, String> fed = new LinkedHashMap<>();
      for (Signature signature : serving.signatures()) {
        fetched.put(signature.key(), signature.getOutputs().values().stream().map(t -> opName(t.name)).toList());
        fed.put(signature.key(), signature.getInputs().values().stream().map(t -> opName(t.name)).findFirst().orElseThrow());
      }
      return new ServingGraphDefinition(graph.toGraphDef(), fetched, fed);
    }
  }

  private static String opName(String tensor) {
    int colon = tensor.lastIndexOf(':');
    return colon < 0 ? tensor : tensor.substring(0, colon);
  }
}

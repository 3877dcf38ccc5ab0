package dev.vprompt.export.inspect;

import java.util.List;
import java.util.Map;

/**
 * What {@code saved_model.pb} and its directory hold. Signatures, ops, variables and assets are those
 * of the meta graph tagged {@code serve} (or the first one when none is).
 *
 * @param tagSets the tags of every meta graph
 * @param nodes the graph's nodes
 * @param functions functions in the graph's library
 * @param ops node count per op type, graph and library functions together, sorted by op name
 * @param warmup one line per TF Serving warm-up record (assets.extra/tf_serving_warmup_requests), empty
 *     when there is none
 * @param findings empty for a model TF Serving can serve as an inference-only model
 */
public record Inspection(String path, List<List<String>> tagSets, List<SignatureInfo> signatures, int nodes,
    int functions, Map<String, Integer> ops, VariableSummary variables, List<AssetInfo> assets,
    List<String> warmup, List<Finding> findings) {

  public boolean clean() {
    return findings.isEmpty();
  }
}

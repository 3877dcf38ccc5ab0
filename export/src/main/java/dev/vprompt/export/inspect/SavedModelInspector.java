package dev.vprompt.export.inspect;

import dev.vprompt.core.checkpoint.CheckpointIndex;
import dev.vprompt.export.tfserving.WarmupRequests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.tensorflow.proto.AssetFileDef;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.PredictionLogOuterClass.PredictionLog;

/**
 * Reads a SavedModel directory with the protobuf classes alone (nothing is loaded into TensorFlow) and
 * describes it: tags, signatures, op histogram, variables, assets, and what TF Serving would reject or
 * an inference-only model should not hold.
 */
public final class SavedModelInspector {

  static final String SERVE_TAG = "serve";
  static final String DEFAULT_SIGNATURE = "serving_default";
  static final String CLASSES_ASSET = "classes.txt";
  private static final int EXAMPLES = 4;
  private static final Set<String> VARIABLE_OPS = Set.of("VariableV2", "Variable", "VarHandleOp");

  private SavedModelInspector() {}

  /** @throws IllegalArgumentException when {@code dir} is not a readable SavedModel directory */
  public static Inspection inspect(Path dir) {
    SavedModel model = read(dir);
    if (model.getMetaGraphsCount() == 0) {
      throw new IllegalArgumentException(dir + ": saved_model.pb holds no meta graph");
    }
    List<List<String>> tagSets = new ArrayList<>();
    MetaGraphDef served = null;
    for (MetaGraphDef meta : model.getMetaGraphsList()) {
      List<String> tags = List.copyOf(meta.getMetaInfoDef().getTagsList());
      tagSets.add(tags);
      if (served == null && tags.contains(SERVE_TAG)) {
        served = meta;
      }
    }
    List<Finding> findings = new ArrayList<>();
    if (served == null) {
      findings.add(new Finding(Finding.NO_SERVE_TAG, null, "no meta graph is tagged '" + SERVE_TAG
          + "': TF Serving loads only that tag"));
      served = model.getMetaGraphs(0);
    }
    GraphDef graph = served.getGraphDef();
    Map<String, NodeDef> nodes = new HashMap<>();
    graph.getNodeList().forEach(n -> nodes.put(n.getName(), n));

    List<SignatureInfo> signatures = signatures(served, nodes.keySet(), findings);
    Map<String, Integer> ops = new TreeMap<>();
    Set<String> restorePath = restorePath(served, nodes);
    List<NodeDef> allNodes = new ArrayList<>(graph.getNodeList());
    for (FunctionDef function : graph.getLibrary().getFunctionList()) {
      allNodes.addAll(function.getNodeDefList());
    }
    Map<String, List<NodeRules.Flag>> flagged = new java.util.LinkedHashMap<>();
    for (NodeDef node : allNodes) {
      ops.merge(node.getOp(), 1, Integer::sum);
      NodeRules.check(node, restorePath).ifPresent(f -> flagged.computeIfAbsent(f.rule(), r -> new ArrayList<>()).add(f));
    }
    flagged.values().forEach(sameRule -> findings.add(summarise(sameRule)));
    VariableSummary variables = variables(dir, graph, findings);
    List<AssetInfo> assets = assets(dir, served, findings);
    checkClassNames(dir, served, findings);
    List<String> warmup = warmup(dir, signatures, findings);
    return new Inspection(dir.toString(), List.copyOf(tagSets), signatures, graph.getNodeCount(),
        graph.getLibrary().getFunctionCount(), ops, variables, assets, warmup, List.copyOf(findings));
  }

  /** One finding per rule: how many nodes, their op types, and the first few names. */
  private static Finding summarise(List<NodeRules.Flag> sameRule) {
    NodeRules.Flag first = sameRule.get(0);
    String ops = sameRule.stream().map(NodeRules.Flag::op).distinct().sorted()
        .collect(java.util.stream.Collectors.joining(", "));
    String nodes = sameRule.stream().limit(EXAMPLES).map(NodeRules.Flag::node)
        .collect(java.util.stream.Collectors.joining(", ")) + (sameRule.size() > EXAMPLES ? ", ..." : "");
    String count = sameRule.size() == 1 ? "1 node" : sameRule.size() + " nodes";
    return new Finding(first.rule(), first.node(), first.problem() + ": " + count + " (" + ops + "): " + nodes);
  }

  private static SavedModel read(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + ": no such directory");
    }
    Path pb = dir.resolve("saved_model.pb");
    if (!Files.isRegularFile(pb)) {
      String hint = versionsHint(dir);
      throw new IllegalArgumentException(dir + ": not a SavedModel (no saved_model.pb)" + hint);
    }
    try {
      return SavedModel.parseFrom(Files.readAllBytes(pb));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(pb + ": not a SavedModel protocol buffer (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pb + ": " + e.getMessage(), e);
    }
  }

  /** A model directory holds versions: name them. */
  private static String versionsHint(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      List<String> versions = entries.filter(p -> Files.isRegularFile(p.resolve("saved_model.pb")))
          .map(p -> p.getFileName().toString()).sorted().toList();
      return versions.isEmpty() ? "" : "; it holds versions " + String.join(", ", versions) + ": pass one of them";
    } catch (IOException e) {
      return "";
    }
  }

  private static List<SignatureInfo> signatures(MetaGraphDef meta, Set<String> nodes, List<Finding> findings) {
    Map<String, SignatureDef> defs = new TreeMap<>(meta.getSignatureDefMap());
    if (defs.isEmpty()) {
      findings.add(new Finding(Finding.NO_SIGNATURES, null, "no signatures: TF Serving has nothing to call"));
    } else if (!defs.containsKey(DEFAULT_SIGNATURE)) {
      findings.add(new Finding(Finding.NO_DEFAULT_SIGNATURE, null, "no '" + DEFAULT_SIGNATURE
          + "' signature: requests that name no signature fail"));
    }
    List<SignatureInfo> signatures = new ArrayList<>();
    defs.forEach((key, def) -> {
      if (def.getMethodName().isEmpty()) {
        findings.add(new Finding(Finding.EMPTY_METHOD_NAME, null, "signature '" + key
            + "' has an empty method name; TF Serving expects e.g. tensorflow/serving/predict"));
      }
      List<TensorSpec> inputs = tensors(key, def.getInputsMap(), nodes, findings);
      List<TensorSpec> outputs = tensors(key, def.getOutputsMap(), nodes, findings);
      signatures.add(new SignatureInfo(key, def.getMethodName(), inputs, outputs));
    });
    return List.copyOf(signatures);
  }

  private static List<TensorSpec> tensors(String signature, Map<String, TensorInfo> infos, Set<String> nodes,
      List<Finding> findings) {
    List<TensorSpec> specs = new ArrayList<>();
    new TreeMap<>(infos).forEach((key, info) -> {
      String node = nodeName(info.getName());
      if (!nodes.contains(node)) {
        findings.add(new Finding(Finding.MISSING_TENSOR, node, "signature '" + signature + "' refers to '"
            + info.getName() + "', which the graph lacks"));
      }
      specs.add(new TensorSpec(key, info.getName(), dtypeName(info.getDtype()), shape(info.getTensorShape())));
    });
    return List.copyOf(specs);
  }

  /** The nodes the saver's restore op runs, transitively. */
  private static Set<String> restorePath(MetaGraphDef meta, Map<String, NodeDef> nodes) {
    Set<String> path = new HashSet<>();
    if (!meta.hasSaverDef()) {
      return path;
    }
    Deque<String> pending = new ArrayDeque<>(List.of(nodeName(meta.getSaverDef().getRestoreOpName())));
    while (!pending.isEmpty()) {
      String name = pending.pop();
      NodeDef node = nodes.get(name);
      if (node != null && path.add(name)) {
        node.getInputList().forEach(input -> pending.add(nodeName(input)));
      }
    }
    return path;
  }

  private static VariableSummary variables(Path dir, GraphDef graph, List<Finding> findings) {
    int count = 0;
    long values = 0;
    long bytes = 0;
    List<String> names = new ArrayList<>();
    for (NodeDef node : graph.getNodeList()) {
      if (!VARIABLE_OPS.contains(node.getOp())) {
        continue;
      }
      count++;
      names.add(node.getOp().equals("VarHandleOp") && node.getAttrMap().containsKey("shared_name")
          && !node.getAttrMap().get("shared_name").getS().isEmpty()
          ? node.getAttrMap().get("shared_name").getS().toStringUtf8() : node.getName());
      long size = elements(node.getAttrMap().get("shape"));
      values += size;
      bytes += size * dtypeBytes(node.getAttrMap().getOrDefault("dtype", AttrValue.getDefaultInstance()).getType());
    }
    Path prefix = dir.resolve("variables").resolve("variables");
    int saved = -1;
    long savedBytes = 0;
    if (CheckpointIndex.exists(prefix)) {
      try {
        Set<String> savedNames = CheckpointIndex.read(prefix).keySet();
        saved = savedNames.size();
        for (String name : names) {
          if (!savedNames.contains(name)) {
            findings.add(new Finding(Finding.UNSAVED_VARIABLE, name, "variables/ holds no value for this variable"));
          }
        }
        savedBytes = dataBytes(dir.resolve("variables"));
        for (String problem : CheckpointIndex.verifyData(prefix)) {
          findings.add(new Finding(Finding.DAMAGED_VARIABLE, problem.substring(0, problem.indexOf(": ")),
              "variables/ cannot restore it: " + problem.substring(problem.indexOf(": ") + 2)));
        }
      } catch (IOException | IllegalArgumentException e) {
        findings.add(new Finding(Finding.UNSAVED_VARIABLE, null, "variables/ is unreadable: " + e.getMessage()));
      }
    } else if (count > 0) {
      findings.add(new Finding(Finding.UNSAVED_VARIABLE, null, "the graph has " + count
          + " variables but there is no variables/variables.index"));
    }
    return new VariableSummary(count, values, bytes, saved, savedBytes);
  }

  private static long dataBytes(Path variablesDir) throws IOException {
    try (Stream<Path> files = Files.list(variablesDir)) {
      long total = 0;
      for (Path file : files.filter(p -> p.getFileName().toString().startsWith("variables.data-")).toList()) {
        total += Files.size(file);
      }
      return total;
    }
  }

  /** The warm-up records, each checked against the signatures TF Serving would replay it through. */
  private static List<String> warmup(Path dir, List<SignatureInfo> signatures, List<Finding> findings) {
    List<PredictionLog> logs;
    try {
      logs = WarmupRequests.read(dir);
    } catch (IOException e) {
      findings.add(new Finding(Finding.BAD_WARMUP, null, "unreadable warm-up file: " + e.getMessage()));
      return List.of();
    }
    if (logs.size() > WarmupRequests.MAX_RECORDS) {
      findings.add(new Finding(Finding.BAD_WARMUP, null, logs.size() + " warm-up records; TF Serving reads at most "
          + WarmupRequests.MAX_RECORDS));
    }
    Map<String, SignatureInfo> byKey = new HashMap<>();
    signatures.forEach(s -> byKey.put(s.key(), s));
    int n = 0;
    for (PredictionLog log : logs) {
      n++;
      if (!log.hasPredictLog()) {
        findings.add(new Finding(Finding.BAD_WARMUP, null, "warm-up record " + n + " is not a predict log"));
        continue;
      }
      PredictRequest request = log.getPredictLog().getRequest();
      String key = request.getModelSpec().getSignatureName().isEmpty() ? "serving_default"
          : request.getModelSpec().getSignatureName();
      SignatureInfo signature = byKey.get(key);
      if (signature == null) {
        findings.add(new Finding(Finding.BAD_WARMUP, null, "warm-up record " + n + " asks for signature " + key
            + ", which the model does not have"));
      } else if (!signature.inputs().stream().map(TensorSpec::key).collect(Collectors.toSet())
          .equals(request.getInputsMap().keySet())) {
        findings.add(new Finding(Finding.BAD_WARMUP, null, "warm-up record " + n + " feeds "
            + request.getInputsMap().keySet() + " to " + key + ", whose inputs are "
            + signature.inputs().stream().map(TensorSpec::key).toList()));
      }
    }
    return WarmupRequests.describe(logs);
  }

  private static List<AssetInfo> assets(Path dir, MetaGraphDef meta, List<Finding> findings) {
    List<AssetInfo> assets = new ArrayList<>();
    for (AssetFileDef asset : meta.getAssetFileDefList()) {
      Path file = dir.resolve("assets").resolve(asset.getFilename());
      long bytes = -1;
      try {
        if (Files.isRegularFile(file)) {
          bytes = Files.size(file);
        }
      } catch (IOException e) {
        bytes = -1;
      }
      if (bytes < 0) {
        findings.add(new Finding(Finding.MISSING_ASSET, null, "asset " + asset.getFilename()
            + " is registered but assets/" + asset.getFilename() + " is missing"));
      }
      assets.add(new AssetInfo(asset.getFilename(), asset.getTensorInfo().getName(), bytes));
    }
    assets.sort(Comparator.comparing(AssetInfo::filename));
    return List.copyOf(assets);
  }

  /** One class name per line in assets/classes.txt, as many as serving_default's outputs have classes. */
  private static void checkClassNames(Path dir, MetaGraphDef meta, List<Finding> findings) {
    Path file = dir.resolve("assets").resolve(CLASSES_ASSET);
    SignatureDef serving = meta.getSignatureDefMap().get(DEFAULT_SIGNATURE);
    if (serving == null || !Files.isRegularFile(file)) {
      return;
    }
    long names;
    try (Stream<String> lines = Files.lines(file, java.nio.charset.StandardCharsets.UTF_8)) {
      names = lines.filter(line -> !line.isBlank()).count();
    } catch (IOException | UncheckedIOException e) {
      findings.add(new Finding(Finding.CLASS_NAMES, null, "assets/" + CLASSES_ASSET + " is not readable UTF-8 text"));
      return;
    }
    new TreeMap<>(serving.getOutputsMap()).forEach((key, info) -> {
      TensorShapeProto shape = info.getTensorShape();
      if (!shape.getUnknownRank() && shape.getDimCount() == 2 && shape.getDim(1).getSize() > 0
          && shape.getDim(1).getSize() != names) {
        findings.add(new Finding(Finding.CLASS_NAMES, null, "assets/" + CLASSES_ASSET + " names " + names
            + " classes but output '" + key + "' of " + DEFAULT_SIGNATURE + " has " + shape.getDim(1).getSize()));
      }
    });
  }

  static String nodeName(String tensor) {
    String name = tensor.startsWith("^") ? tensor.substring(1) : tensor;
    int colon = name.lastIndexOf(':');
    return colon > 0 ? name.substring(0, colon) : name;
  }

  private static long elements(AttrValue shapeAttr) {
    if (shapeAttr == null || shapeAttr.getShape().getUnknownRank()) {
      return 0;
    }
    long size = 1;
    for (TensorShapeProto.Dim dim : shapeAttr.getShape().getDimList()) {
      if (dim.getSize() < 0) {
        return 0;
      }
      size *= dim.getSize();
    }
    return size;
  }

  static String shape(TensorShapeProto shape) {
    if (shape.getUnknownRank()) {
      return "unknown";
    }
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < shape.getDimCount(); i++) {
      text.append(i == 0 ? "" : ", ").append(shape.getDim(i).getSize());
    }
    return text.append(']').toString();
  }

  /** {@code DT_FLOAT} as {@code float}, reference types as their base type. */
  static String dtypeName(DataType type) {
    DataType base = type.getNumber() > 100 && DataType.forNumber(type.getNumber() - 100) != null
        ? DataType.forNumber(type.getNumber() - 100) : type;
    return base.name().startsWith("DT_") ? base.name().substring(3).toLowerCase(java.util.Locale.ROOT) : base.name();
  }

  private static int dtypeBytes(DataType type) {
    return switch (type) {
      case DT_FLOAT, DT_INT32, DT_UINT32, DT_FLOAT_REF, DT_INT32_REF -> 4;
      case DT_DOUBLE, DT_INT64, DT_UINT64, DT_COMPLEX64, DT_DOUBLE_REF, DT_INT64_REF -> 8;
      case DT_HALF, DT_BFLOAT16, DT_INT16, DT_UINT16 -> 2;
      case DT_UINT8, DT_INT8, DT_BOOL, DT_UINT8_REF, DT_INT8_REF -> 1;
      case DT_COMPLEX128 -> 16;
      default -> 0;
    };
  }
}

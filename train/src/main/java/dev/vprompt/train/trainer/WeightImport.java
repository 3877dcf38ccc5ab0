package dev.vprompt.train.trainer;

import dev.vprompt.graph.InvalidOptionException;
import dev.vprompt.graph.Classifier;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.core.checkpoint.CheckpointIndex;
import dev.vprompt.core.checkpoint.SavedTensor;
import dev.vprompt.core.eval.InferenceModel;
import dev.vprompt.core.run.RunConfig;
import dev.vprompt.core.run.RunDirectory;
import dev.vprompt.core.run.TransferSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Which tensors of which checkpoint initialise a transfer run: the backbone (and with {@code --head
 * keep} the head) of another vprompt run of the same architecture, or any TensorFlow checkpoint through
 * a name map.
 *
 * @param prefix the checkpoint prefix ({@code .index} + {@code .data-*})
 * @param mapping checkpoint tensor name to this run's variable name
 */
public record WeightImport(Path prefix, Map<String, String> mapping, String source) {

  public static WeightImport plan(TransferSettings transfer, RunConfig target, ParameterStore params) {
    Path from = Path.of(transfer.initFrom());
    if (Files.isDirectory(from)) {
      return fromRun(from, transfer, target, params);
    }
    if (Files.isRegularFile(Path.of(from + ".index"))) {
      return fromCheckpoint(from, transfer, params);
    }
    throw new IllegalArgumentException(from + ": neither a vprompt run directory nor a TensorFlow checkpoint prefix"
        + " (no " + from + ".index)");
  }

  private static WeightImport fromRun(Path dir, TransferSettings transfer, RunConfig target, ParameterStore params) {
    RunDirectory source = RunDirectory.existing(dir);
    RunConfig sourceConfig = source.readConfig();
    // the backbone's input, after any in-graph resize: CIFAR's 32x32 resized to 224 fits an import at 224
    String sourceInput = sourceConfig.modelSpec().backboneInput().toString();
    String targetInput = target.modelSpec().backboneInput().toString();
    boolean sameArchitecture = sourceConfig.backbone().equals(target.backbone())
        && sourceInput.equals(targetInput)
        && Objects.equals(sourceConfig.patchSize(), target.patchSize());
    if (!sameArchitecture) {
      throw new InvalidOptionException("init-from", "--init-from " + dir + " is a checkpoint of another architecture: it trained "
          + sourceConfig.backbone() + " on " + sourceInput + ", this run builds " + target.backbone() + " on "
          + targetInput);
    }
    boolean keepHead = transfer.head().equals("keep");
    if (keepHead && transfer.labelMap() == null && sourceConfig.classNames().size() != target.classNames().size()) {
      throw new InvalidOptionException("head", "--head keep needs as many classes as the source run (" + sourceConfig.classNames()
          .size() + "), this run has " + target.classNames().size() + "; use --head new, or --label-map freq|ilm|fc");
    }
    Path checkpoint = source.checkpoint(transfer.checkpoint());
    Map<String, String> mapping = new LinkedHashMap<>();
    for (Parameter p : params.all()) {
      if (p.name().startsWith("backbone.") || (keepHead && p.name().startsWith("head."))) {
        mapping.put(p.name(), p.name());
      }
    }
    return new WeightImport(checkpoint.resolve(InferenceModel.MODEL_PREFIX), mapping, checkpoint.toString());
  }

  /** A name map file: one {@code checkpoint_name variable_name} pair per line; '#' starts a comment. */
  private static WeightImport fromCheckpoint(Path prefix, TransferSettings transfer, ParameterStore params) {
    if (transfer.nameMap() == null) {
      throw new InvalidOptionException("init-from", "--init-from " + prefix + " is a TensorFlow checkpoint: give --init-map FILE "
          + "with one 'checkpoint_name variable_name' pair per line (variable names as 'vprompt params' builds them)");
    }
    Path file = Path.of(transfer.nameMap());
    Map<String, String> mapping = readNameMap(file);
    for (String variable : mapping.values()) {
      if (!params.contains(variable)) {
        throw new IllegalArgumentException(file + ": this model has no variable '" + variable + "'");
      }
    }
    if (transfer.frozenBackbone()) {
      List<String> uncovered = params.select(p -> p.name().startsWith("backbone.")).stream()
          .map(Parameter::name).filter(name -> !mapping.containsValue(name)).toList();
      if (!uncovered.isEmpty()) {
        throw new IllegalArgumentException(file + ": " + uncovered.size() + " backbone variables would stay random "
            + "yet frozen, e.g. " + String.join(", ", uncovered.subList(0, Math.min(5, uncovered.size()))));
      }
    }
    return new WeightImport(prefix, mapping, prefix.toString());
  }

  /** A name map file's {@code checkpoint_name variable_name} pairs, in file order. */
  private static Map<String, String> readNameMap(Path file) {
    Map<String, String> mapping = new LinkedHashMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read the name map (" + e.getMessage() + ")");
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).replaceAll("#.*", "").trim();
      if (line.isEmpty()) {
        continue;
      }
      String[] pair = line.split("\\s+");
      if (pair.length != 2) {
        throw new IllegalArgumentException(file + ": line " + (i + 1) + " should be 'checkpoint_name variable_name'");
      }
      mapping.put(pair[0], pair[1]);
    }
    return mapping;
  }

  /**
   * The class count of the head a label map reads: the source run's classes, or, for a checkpoint prefix, the
   * output width of the tensor the name map sends to {@code head.kernel}.
   */
  public static int sourceClasses(TransferSettings transfer) {
    Path from = Path.of(transfer.initFrom());
    if (Files.isDirectory(from)) {
      return RunDirectory.existing(from).readConfig().classNames().size();
    }
    if (transfer.nameMap() == null || !Files.isRegularFile(Path.of(from + ".index"))) {
      throw new InvalidOptionException("label-map", "--label-map reads the source head of --init-from: give a run "
          + "directory, or a checkpoint prefix with --init-map naming its head ('NAME head.kernel')");
    }
    String kernel = null;
    for (Map.Entry<String, String> pair : readNameMap(Path.of(transfer.nameMap())).entrySet()) {
      if (pair.getValue().equals(HEAD_KERNEL)) {
        kernel = pair.getKey();
      }
    }
    if (kernel == null) {
      throw new InvalidOptionException("label-map", transfer.nameMap() + ": --label-map keeps the source head, but "
          + "no line maps a checkpoint tensor to " + HEAD_KERNEL);
    }
    SavedTensor tensor;
    try {
      tensor = CheckpointIndex.read(from).get(kernel);
    } catch (IOException e) {
      throw new IllegalArgumentException(from + ": unreadable checkpoint (" + e.getMessage() + ")");
    }
    if (tensor == null || tensor.shape().numDimensions() != 2) {
      throw new IllegalArgumentException(from + ": " + kernel + " is not a [features, classes] head kernel in the "
          + "checkpoint");
    }
    long classes = tensor.shape().get(1);
    if (classes < 2 || classes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(from + ": " + kernel + " has " + classes + " outputs; a head needs 2 or more");
    }
    return (int) classes;
  }

  private static final String HEAD_KERNEL = "head.kernel";

  /**
   * Fails, before any run directory is written, when the source cannot initialise this model: a missing
   * tensor, a shape that differs, or a frozen model with nothing left to train.
   */
  public static void check(RunConfig config) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore store = new ParameterStore(tf, 0, config.transferOrScratch().frozen());
      var images = tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(config.inputSpec())));
      Classifier.fromScaled(BuildContext.root(tf, store, Mode.INFER), config.modelSpec(), images);
      WeightImport plan = plan(config.transfer(), config, store);
      Map<String, SavedTensor> saved;
      try {
        saved = CheckpointIndex.read(plan.prefix());
      } catch (IOException e) {
        throw new IllegalArgumentException(plan.prefix() + ": unreadable checkpoint (" + e.getMessage() + ")");
      }
      List<String> problems = new ArrayList<>();
      plan.mapping().forEach((from, to) -> {
        SavedTensor tensor = saved.get(from);
        if (tensor == null) {
          problems.add(from + " is not in the checkpoint");
        } else if (!tensor.shape().equals(store.get(to).shape())) {
          problems.add(from + " has shape " + tensor.shape() + ", " + to + " needs " + store.get(to).shape());
        }
      });
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(plan.source() + " does not fit this model (" + problems.size()
            + " problems): " + String.join("; ", problems.subList(0, Math.min(3, problems.size()))));
      }
      if (store.trainable().isEmpty()) {
        throw new IllegalArgumentException("nothing would train: the backbone is frozen and nothing else has weights");
      }
    }
  }

  /** Restores the mapped tensors into the graph's session. */
  public void apply(TrainingGraph graph) {
    try {
      graph.checkpointIo().restoreSubset(graph.session(), prefix, mapping);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + prefix + ": " + e.getMessage(), e);
    }
  }
}

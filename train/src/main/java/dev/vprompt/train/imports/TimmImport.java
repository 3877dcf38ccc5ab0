package dev.vprompt.train.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vprompt.graph.Classifier;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.graph.backbones.Backbones;
import dev.vprompt.graph.backbones.Pretrained;
import dev.vprompt.graph.backbones.TimmArchitecture;
import dev.vprompt.graph.prompts.baselines.NoPrompt;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.weights.SafetensorsFile;
import dev.vprompt.ops.weights.SessionWeights;
import dev.vprompt.ops.weights.VariableShapes;
import dev.vprompt.ops.weights.WeightMapping;
import dev.vprompt.ops.weights.WeightMappingException;
import dev.vprompt.ops.weights.WeightSource;
import dev.vprompt.core.checkpoint.CheckpointIo;
import dev.vprompt.core.data.LoadedData;
import dev.vprompt.core.eval.InferenceModel;
import dev.vprompt.core.run.FileTrees;
import dev.vprompt.core.run.Json;
import dev.vprompt.graph.prompts.PromptSettings;
import dev.vprompt.core.run.RunConfig;
import dev.vprompt.core.run.RunDirectory;
import dev.vprompt.core.run.TrainingSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * {@code vprompt import}: timm (or torchvision) weights in a safetensors file to a vprompt run directory
 * ({@code config.json}, {@code checkpoints/best}, {@code import.json}) that {@code --init-from}, {@code eval},
 * {@code export} and {@code predict} accept. Everything is checked before anything is written; the run is
 * written under a hidden sibling name and renamed into place, so a failure leaves no run directory.
 */
public final class TimmImport {

  /** The imported run, and what went into it. */
  public record Result(Path run, RunConfig config, int variables, long values, String strippedPrefix) {}

  private TimmImport() {}

  public static Result run(ImportRequest request, Consumer<String> progress) throws IOException {
    RunDirectory.fresh(request.out());
    try (SafetensorsFile file = SafetensorsFile.open(request.weights())) {
      TimmArchitecture arch = architecture(request, file.metadata());
      InputSpec input = request.input() != null ? InputSpec.parse(request.input()) : arch.nativeInput();
      Backbone backbone = Backbones.create(arch.backbone(), input, null);
      if (!(backbone instanceof Pretrained pretrained)) {
        throw new IllegalArgumentException(arch.backbone() + " has no mapping for timm's weights");
      }
      WeightMapping mapping = pretrained.timmWeights();
      WeightSource source = WeightSource.of(file);
      int classes = headClasses(mapping, source);
      List<String> classNames = classNames(request.classNames(), classes);
      float[][] defaults = SourceNormalisation.defaults(arch.family());
      float[] mean = SourceNormalisation.forChannels(request.mean(), defaults[0], input.channels(), "mean");
      float[] std = SourceNormalisation.forChannels(request.std(), defaults[1], input.channels(), "std");
      RunConfig config = new RunConfig(LoadedData.IMPORTED, "imported", LoadedData.IMPORTED, input.toString(), classNames,
          arch.backbone(), null, PromptSettings.of(NoPrompt.NAME), mean, std,
          new TrainingSettings(1, 32, 0, 0, "adam", "all", "cosine", 0, 42, 0.1, "none", 0, 32), request.versions());
      progress.accept(String.format(java.util.Locale.ROOT, "%s: %d tensors; model %s on %s, %d classes",
          file.path(), file.entries().size(), arch.backbone(), input, classes));
      return write(request, file, config, mapping, source, progress, arch);
    }
  }

  private static TimmArchitecture architecture(ImportRequest request, Map<String, String> metadata) throws IOException {
    TimmArchitecture variant = TimmArchitecture.ofVariant(request.arch());
    if (variant != null) {
      if (request.archConfig() != null) {
        throw new IllegalArgumentException("--arch-config is for a family (vit, resnet, ...); " + request.arch()
            + " is a named variant whose configuration is fixed");
      }
      return variant;
    }
    if (!TimmArchitecture.TIMM_CLASSES.containsKey(request.arch())) {
      throw new IllegalArgumentException("unknown --arch '" + request.arch() + "'; known: variants "
          + String.join(", ", variants()) + ", or families " + String.join(", ", TimmArchitecture.TIMM_CLASSES.keySet()));
    }
    if (request.archConfig() != null) {
      JsonNode node;
      try {
        node = Json.LINE.readTree(request.archConfig().toFile());
      } catch (IOException e) {
        throw new IllegalArgumentException(request.archConfig() + ": not a readable JSON file (" + e.getMessage()
            .lines().findFirst().orElse("") + ")");
      }
      if (node == null || !node.isObject() || !node.has("timm_class")) {
        throw new IllegalArgumentException(request.archConfig() + ": needs {\"timm_class\": ..., \"timm_kwargs\": {...}}");
      }
      JsonNode kwargs = node.get("timm_kwargs");
      String kwargsText = kwargs == null ? null : kwargs.isTextual() ? kwargs.asText() : kwargs.toString();
      return named(request.archConfig(), () -> TimmArchitecture.ofTimm(request.arch(), node.get("timm_class").asText(),
          kwargsText));
    }
    if (!metadata.containsKey("timm_class")) {
      throw new IllegalArgumentException(request.weights() + ": no timm_class / timm_kwargs in its metadata (real timm "
          + "files carry none): name the variant with --arch (" + String.join(", ", variants())
          + ") or give --arch-config FILE.json");
    }
    return named(request.weights(), () -> TimmArchitecture.ofTimm(request.arch(), metadata.get("timm_class"),
        metadata.get("timm_kwargs")));
  }

  private static TimmArchitecture named(Path where, java.util.function.Supplier<TimmArchitecture> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  private static List<String> variants() {
    return Backbones.NAMES.stream().filter(n -> TimmArchitecture.ofVariant(n) != null).toList();
  }

  /** The class count is the head's: timm's head weight is {@code [classes, features]}. */
  private static int headClasses(WeightMapping mapping, WeightSource source) {
    WeightMapping.Rule head = mapping.rules().get("head.kernel");
    long[] shape = head == null ? null : source.shapes().get(head.sources().get(0));
    if (shape == null || shape.length != 2 || shape[0] < 2 || shape[0] > Integer.MAX_VALUE) {
      String name = head == null ? "head" : head.sources().get(0);
      throw new ImportProblemsException(source.description() + " has no classification head of at least 2 classes",
          List.of(shape == null ? "missing from the file: " + name : name + " has shape "
              + java.util.Arrays.toString(shape) + ", not [classes >= 2, features]"));
    }
    return (int) shape[0];
  }

  private static List<String> classNames(Path file, int classes) {
    if (file == null) {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < classes; i++) {
        names.add(Integer.toString(i));
      }
      return names;
    }
    List<String> names;
    try {
      names = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip).filter(s -> !s.isEmpty())
          .toList();
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read the class names (" + e.getMessage() + ")");
    }
    if (names.size() != classes) {
      throw new IllegalArgumentException(file + ": " + names.size() + " class names, the weights' head has " + classes);
    }
    return names;
  }

  private static Result write(ImportRequest request, SafetensorsFile file, RunConfig config, WeightMapping mapping,
      WeightSource source, Consumer<String> progress, TimmArchitecture arch) throws IOException {
    Path target = request.out().toAbsolutePath().normalize();
    Path temp = target.resolveSibling("." + target.getFileName() + ".importing-" + ProcessHandle.current().pid());
    ModelSpec spec = config.modelSpec();
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore store = new ParameterStore(tf, config.training().seed());
      Classifier.fromScaled(BuildContext.root(tf, store, Mode.INFER), spec,
          tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(config.inputSpec()))));
      Map<String, long[]> variables = VariableShapes.of(store, name -> true);
      List<String> problems = mapping.problems(source.shapes(), variables);
      if (!problems.isEmpty()) {
        throw new ImportProblemsException(file.path() + " does not fit " + config.backbone() + ": " + problems.size()
            + (problems.size() == 1 ? " problem" : " problems"), problems);
      }
      Map<String, Variable<?>> saved = new LinkedHashMap<>();
      long values = 0;
      for (Parameter p : store.all()) {
        saved.put(p.name(), p.variable());
        values += p.size();
      }
      CheckpointIo io = new CheckpointIo(tf.withSubScope("checkpoint"), saved);
      Files.createDirectories(temp);
      try (Session session = new Session(graph)) {
        progress.accept("converting " + variables.size() + " variables (" + values + " values)");
        SessionWeights.load(tf, session, store, name -> true, mapping, source);
        RunDirectory run = RunDirectory.fresh(temp);
        run.create();
        io.save(session, run.checkpoint("best").resolve(InferenceModel.MODEL_PREFIX));
        run.writeConfig(config);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("weights", request.weights().toAbsolutePath().toString());
        provenance.put("arch", request.arch());
        provenance.put("family", arch.family());
        provenance.put("backbone", config.backbone());
        provenance.put("metadata", file.metadata());
        provenance.put("tensors", file.entries().size());
        provenance.put("prefix_removed", WeightSource.wrapperPrefix(file.entries().keySet()));
        Json.writeAtomically(temp.resolve("import.json"), provenance);
        if (Files.isDirectory(target)) {
          Files.delete(target); // empty, as RunDirectory.fresh checked; rename needs it gone
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        return new Result(target, config, variables.size(), values,
            WeightSource.wrapperPrefix(file.entries().keySet()));
      } catch (WeightMappingException e) {
        throw new ImportProblemsException(e.getMessage(), e.problems());
      } finally {
        if (Files.exists(temp)) {
          FileTrees.delete(temp);
        }
      }
    }
  }
}

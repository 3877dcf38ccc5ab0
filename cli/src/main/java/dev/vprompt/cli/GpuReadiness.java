package dev.vprompt.cli;

import dev.vprompt.core.data.DatasetSplits;
import dev.vprompt.core.data.ImageSet;
import dev.vprompt.export.ServingGraphDefinition;
import dev.vprompt.graph.InputResize;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.LabelMap;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.graph.backbones.BackboneFamily;
import dev.vprompt.graph.backbones.Backbones;
import dev.vprompt.graph.backbones.PatchTokens;
import dev.vprompt.graph.prompts.Prompt;
import dev.vprompt.graph.prompts.PromptSettings;
import dev.vprompt.graph.prompts.insvp.InsVp;
import dev.vprompt.graph.prompts.insvp.InsvpSettings;
import dev.vprompt.graph.prompts.insvp.Level;
import dev.vprompt.ops.placement.DeviceLayout;
import dev.vprompt.ops.placement.GpuReadiness.OpUse;
import dev.vprompt.ops.placement.KernelRegistry;
import dev.vprompt.ops.placement.SessionSpec;
import dev.vprompt.train.optim.DecayPolicy;
import dev.vprompt.train.optim.OptimizerConfig;
import dev.vprompt.train.optim.OptimizerKind;
import dev.vprompt.train.pipeline.Augmentation;
import dev.vprompt.train.pipeline.BatchMix;
import dev.vprompt.train.trainer.TrainingGraph;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * For every backbone x prompt: the ops of one training step and of each serving signature, and whether
 * the loaded native library has a GPU kernel for each op's types. Ops without one would run on the CPU
 * under soft placement (copies to and from the GPU around them).
 *
 * <p>By default the backbones are the ones trained here at their own size (cnn, the CIFAR ResNets,
 * vit-tiny) and every pretrained family at a tiny configuration ({@link #TINY_CONFIGURATIONS}): which op
 * types a graph holds depends on the code that builds it, not on its widths and depths, so a family's
 * tiny configuration holds the op types of its full-size variants (GpuReadinessTest checks that for
 * ViT-B/16 and ResNet-50 against their tiny configurations) at a fraction of the ops to build. The
 * full-size named variants are checked when named ({@code --backbones vit-b16,...} or {@code all}).
 */
final class GpuReadiness {

  /**
   * Every augmentation op (crop, rotation, flip, and InsVP's per-batch Mixup / CutMix with its soft-target
   * loss), so that the check covers all of them.
   */
  static final Augmentation ALL_AUGMENTATIONS = new Augmentation(4, 10f, true, BatchMix.INSVP);

  /**
   * The pretrained families (ViT, ImageNet ResNet with either block, Swin, ConvNeXt) at tiny sizes for a
   * 32x32 input, each taking the code paths of its named variants: Swin's 8x8 grid under a 3x3 window is
   * shifted and padded (stage 1 and 2) and shrinks its window to a 2x2 grid unshifted (stage 3), the paths
   * of a 224 input's 56x56 ... 7x7 grids and more (a 224 input pads nowhere); drop path at the named
   * variants' rate; ConvNeXt with its layer scale.
   */
  static final List<String> TINY_CONFIGURATIONS = List.of(
      "vit(patch=4,dim=16,depth=2,heads=2)",
      "resnet(block=basic,layers=1-1-1-1,channels=8-8-16-16)",
      "resnet(block=bottleneck,layers=1-1-1-1,channels=8-8-16-16)",
      "swin(patch=4,window=3,dim=8,depths=2-2-2,heads=1-2-4)",
      "convnext(depths=1-1-1-1,dims=8-8-16-16)");

  /** The default list: the named backbones trained here at their own size, then {@link #TINY_CONFIGURATIONS}. */
  static final List<String> DEFAULT_BACKBONES = Stream.concat(
      Backbones.FAMILIES.stream().filter(f -> f.nativeSize() == null).flatMap(f -> f.names().stream()),
      TINY_CONFIGURATIONS.stream()).toList();

  /** The input the default list is checked on. */
  static final InputSpec DEFAULT_INPUT = new InputSpec(32, 32, 3);

  /** The head of a kept source model that a label map reads (more classes than the target's 10). */
  private static final int SOURCE_CLASSES = 20;

  private static final int CLASSES = 10;

  /**
   * A transfer run's training step beyond a run from scratch: the in-graph resize, a label map on a kept
   * head, a frozen backbone (and head), and the transfer protocols' optimizers.
   */
  record Transfer(String label, String prompt, OptimizerKind optimizer, InputResize.Interpolation interpolation,
      LabelMap.Kind labelMap, Augmentation augmentation) {}

  /** One transfer step per protocol family: LoR-VP's SGD (ILM, bilinear) and InsVP's AdamW (fc map, nearest). */
  static final List<Transfer> TRANSFERS = List.of(
      new Transfer("transfer step (sgd, bilinear resize, ilm map, frozen)", "lor-vp", OptimizerKind.SGD,
          InputResize.Interpolation.BILINEAR, LabelMap.Kind.ILM, Augmentation.NATURAL),
      new Transfer("transfer step (adamw, nearest resize, fc map, frozen)", "vp-pad", OptimizerKind.ADAMW,
          InputResize.Interpolation.NEAREST, LabelMap.Kind.FC, Augmentation.NONE));

  /** One graph's op types, each with whether a GPU kernel takes its types. */
  record Finding(String model, String graph, List<OpUse> uses) {
    List<OpUse> cpuOnly() {
      return uses.stream().filter(u -> !u.gpu()).toList();
    }

    int opTypes() {
      return uses.size();
    }
  }

  /** What a check found, and the backbone x prompt pairs that do not build (with the reason). */
  record Report(List<Finding> findings, List<String> skipped) {}

  private GpuReadiness() {}

  static boolean gpuKernelsRegistered(KernelRegistry kernels) {
    return kernels.kernels("MatMul").stream().anyMatch(k -> k.getDeviceType().equals("GPU"));
  }

  /** {@code all} for every named backbone, else the list as given. */
  static List<String> backbones(List<String> given) {
    if (given == null) {
      return DEFAULT_BACKBONES;
    }
    return given.equals(List.of("all")) ? Backbones.NAMES : given;
  }

  /**
   * Per backbone x prompt: the training step (Adam, every augmentation), the serving signatures; per
   * backbone, the {@link #TRANSFERS} steps and their serving graphs.
   */
  static Report check(List<String> backbones, List<String> prompts, InputSpec input, KernelRegistry kernels,
      Consumer<String> progress) {
    List<Finding> findings = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (String backbone : backbones) {
      for (String prompt : prompts) {
        String model = backbone + " + " + prompt;
        ModelSpec spec = spec(input, backbone, prompt, null, null, skipped);
        if (spec != null) {
          progress.accept(model);
          findings.addAll(checkPair(model, spec, ALL_AUGMENTATIONS,
              OptimizerConfig.of(OptimizerKind.ADAM, 1e-4).withDecayPolicy(DecayPolicy.ALL), name -> false, "",
              kernels));
        }
      }
      for (Transfer transfer : TRANSFERS) {
        String model = backbone + " + " + transfer.prompt();
        ModelSpec spec = spec(input, backbone, transfer.prompt(),
            new InputResize(2 * input.height(), transfer.interpolation()),
            new LabelMap(transfer.labelMap(), SOURCE_CLASSES), skipped);
        if (spec != null) {
          progress.accept(model + ", " + transfer.label());
          // a kept head read through a label map is frozen with the backbone (TransferSettings.frozen)
          findings.addAll(checkPair(model, spec, transfer.augmentation(),
              OptimizerConfig.of(transfer.optimizer(), 1e-4).withDecayPolicy(DecayPolicy.EXCEPT_PROMPT),
              name -> name.startsWith("backbone.") || name.startsWith("head."), transfer.label(), kernels));
        }
      }
    }
    return new Report(findings, skipped);
  }

  /**
   * The spec, or null (with the reason in {@code skipped}) for a pair that does not build, as LoRA on a
   * backbone without attention. InsVP prompts a ViT's features as well as the image; elsewhere the image
   * only, what its error message tells a user to choose.
   */
  private static ModelSpec spec(InputSpec input, String backbone, String prompt, InputResize resize,
      LabelMap labelMap, List<String> skipped) {
    InputSpec seen = resize == null ? input : resize.target(input);
    Backbone created;
    try {
      created = Backbones.create(backbone, seen, null);
    } catch (IllegalArgumentException e) {
      skipped.add(backbone + " + " + prompt + ": " + e.getMessage());
      return null;
    }
    float[] zeros = new float[input.channels()];
    float[] ones = new float[input.channels()];
    java.util.Arrays.fill(ones, 1f);
    ModelSpec spec = new ModelSpec(input, CLASSES, backbone, null, prompt(prompt, created), zeros, ones, resize,
        labelMap);
    try {
      spec.createBackbone();
      return spec;
    } catch (IllegalArgumentException e) {
      skipped.add(backbone + " + " + prompt + ": " + e.getMessage());
      return null;
    }
  }

  private static Prompt prompt(String name, Backbone backbone) {
    PromptSettings defaults = PromptSettings.of(name);
    if (name.equals(InsVp.NAME) && !(backbone instanceof PatchTokens)) {
      InsvpSettings s = defaults.settings(InsvpSettings.class);
      return new PromptSettings(name, new InsvpSettings(Level.IMAGE.label(), s.parts(), s.imageWeight(),
          s.featureWeight(), s.promptLength(), s.blocks(), s.globalHidden(), s.patchHidden(), s.specificChannels(),
          s.patchSize(), s.dilation(), s.dropout())).create();
    }
    return defaults.create();
  }

  /** The training step and the serving signatures of one spec; {@code label} names a transfer step. */
  private static List<Finding> checkPair(String model, ModelSpec spec, Augmentation augmentation,
      OptimizerConfig optimizer, Predicate<String> frozen, String label, KernelRegistry kernels) {
    List<Finding> findings = new ArrayList<>();
    String prefix = label.isEmpty() ? "" : label + ", ";
    TrainingGraph.Definition training = TrainingGraph.definition(spec, tinyData(spec.input()), augmentation, optimizer,
        1, frozen, SessionSpec.LOCAL);
    findings.add(finding(model, label.isEmpty() ? "training step" : label, training.graph(),
        dev.vprompt.ops.placement.GpuReadiness.upstream(training.graph(), training.step(), Set.of()), kernels));
    ServingGraphDefinition serving = ServingGraphDefinition.of(spec);
    Set<String> model0 = null;
    for (Map.Entry<String, List<String>> signature : serving.fetched().entrySet()) {
      String fed = serving.fed().get(signature.getKey());
      Set<String> ops = dev.vprompt.ops.placement.GpuReadiness.upstream(serving.graph(), signature.getValue(),
          Set.of(fed));
      if (model0 == null) {
        model0 = ops;
        findings.add(finding(model, prefix + "serving " + signature.getKey(), serving.graph(), ops, kernels));
      } else {
        // the encoded signature runs the default one's ops after decoding: report the decoding part
        Set<String> decoding = new HashSet<>(ops);
        decoding.removeAll(model0);
        findings.add(finding(model, prefix + "serving " + signature.getKey() + " decoding", serving.graph(), decoding,
            kernels));
      }
    }
    return findings;
  }

  /**
   * The training step of two GPU towers ({@code --devices gpu:0,gpu:1}), with synchronised batch-norm
   * ({@code --sync-bn}) or per-tower statistics: the ops the tower builder adds (row shares, summed
   * moments and gradients) beyond the one-device step.
   */
  static Finding checkTowers(String backbone, String prompt, InputSpec input, boolean syncBatchNorm,
      KernelRegistry kernels) {
    ModelSpec spec = ModelSpec.of(input, CLASSES, backbone, null, PromptSettings.of(prompt).create());
    OptimizerConfig adam = OptimizerConfig.of(OptimizerKind.ADAM, 1e-4).withDecayPolicy(DecayPolicy.ALL);
    DeviceLayout layout = DeviceLayout.towers(List.of(DeviceLayout.Device.gpu(0), DeviceLayout.Device.gpu(1)),
        syncBatchNorm);
    TrainingGraph.Definition training = TrainingGraph.definition(spec, tinyData(input), ALL_AUGMENTATIONS, adam, 1,
        name -> false, SessionSpec.local(layout));
    return finding(backbone + " + " + prompt, "training step, 2 towers" + (syncBatchNorm ? ", sync-bn" : ""),
        training.graph(), dev.vprompt.ops.placement.GpuReadiness.upstream(training.graph(), training.step(), Set.of()),
        kernels);
  }

  private static Finding finding(String model, String graph, org.tensorflow.proto.GraphDef def, Set<String> names,
      KernelRegistry kernels) {
    Collection<OpUse> uses = dev.vprompt.ops.placement.GpuReadiness.check(def, names, kernels);
    return new Finding(model, graph, List.copyOf(uses));
  }

  /** The op types without a GPU kernel, each with the graphs it occurs in: the report's table. */
  static Map<String, Set<String>> cpuOnlyOps(List<Finding> findings) {
    Map<String, Set<String>> ops = new TreeMap<>();
    for (Finding f : findings) {
      for (OpUse use : f.cpuOnly()) {
        ops.computeIfAbsent(describe(use), k -> new TreeSet<>()).add(f.graph());
      }
    }
    return ops;
  }

  /** Every op type with its type attributes in the findings, e.g. {@code Conv2D (T=float)}. */
  static Set<String> opTypes(List<Finding> findings) {
    Set<String> types = new TreeSet<>();
    findings.forEach(f -> f.uses().forEach(u -> types.add(describe(u))));
    return types;
  }

  static String describe(OpUse use) {
    return use.op() + (use.types().isEmpty() ? "" : " (" + use.types() + ")");
  }

  /**
   * The families none of {@code backbones} is a variant or a configuration of (by the class that builds it,
   * on the family's native input): empty when the list covers every registered family.
   */
  static List<List<String>> uncoveredFamilies(List<String> backbones, InputSpec input) {
    Set<Class<?>> checked = new HashSet<>();
    for (String name : backbones) {
      checked.add(Backbones.create(name, input, null).getClass());
    }
    List<List<String>> missing = new ArrayList<>();
    for (BackboneFamily family : Backbones.FAMILIES) {
      int side = family.nativeSize() == null ? input.height() : family.nativeSize();
      for (String name : family.names()) {
        if (!checked.contains(family.create(name, new InputSpec(side, side, input.channels()), null).getClass())) {
          missing.add(family.names());
          break;
        }
      }
    }
    return missing;
  }

  private static final Set<String> HOST_TYPES = Set.of("int32", "uint8", "string");

  /**
   * Why an op without a GPU kernel is expected on the CPU, or null if it is a defect: image decoding
   * (TensorFlow decodes on the CPU only), or types TensorFlow keeps in host memory by design (int32 shape
   * arithmetic; uint8 pixels as they arrive, or resident, before their cast to float on the device).
   */
  static String expected(String graph, OpUse use) {
    if (graph.endsWith("decoding")) {
      return "decoding";
    }
    if (!use.types().isEmpty() && java.util.Arrays.stream(use.types().split(","))
        .flatMap(t -> java.util.Arrays.stream(t.substring(t.indexOf('=') + 1).split("\\|")))
        .allMatch(HOST_TYPES::contains)) {
      return "host types";
    }
    return null;
  }

  private static DatasetSplits tinyData(InputSpec input) {
    int n = 2;
    byte[] pixels = new byte[n * input.height() * input.width() * input.channels()];
    List<String> names = new ArrayList<>();
    for (int i = 0; i < CLASSES; i++) {
      names.add("class" + i);
    }
    ImageSet set = new ImageSet(pixels, new int[] {0, 1}, input.height(), input.width(), input.channels(), names);
    return new DatasetSplits("readiness", set, set);
  }
}

package dev.vprompt.cli;

import dev.vprompt.export.ServingGraphDefinition;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.graph.prompts.Prompts;
import dev.vprompt.ops.placement.DeviceLayout;
import dev.vprompt.ops.placement.GpuReadiness.OpUse;
import dev.vprompt.ops.placement.KernelRegistry;
import dev.vprompt.ops.placement.SessionSpec;
import dev.vprompt.core.data.DatasetSplits;
import dev.vprompt.core.data.ImageSet;
import dev.vprompt.train.optim.DecayPolicy;
import dev.vprompt.train.optim.OptimizerConfig;
import dev.vprompt.train.optim.OptimizerKind;
import dev.vprompt.train.pipeline.Augmentation;
import dev.vprompt.train.trainer.TrainingGraph;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * For every backbone x prompt: the ops of one training step and of each serving signature, and whether
 * the loaded native library has a GPU kernel for each op's types. Ops without one would run on the CPU
 * under soft placement (copies to and from the GPU around them).
 */
final class GpuReadiness {

  /** Every augmentation op (crop, rotation, flip), so that the check covers all three. */
  static final Augmentation ALL_AUGMENTATIONS = new Augmentation(4, 10f, true);

  /** One graph's ops without a GPU kernel. */
  record Finding(String model, String graph, List<OpUse> cpuOnly, int opTypes) {}

  private GpuReadiness() {}

  static boolean gpuKernelsRegistered(KernelRegistry kernels) {
    return kernels.kernels("MatMul").stream().anyMatch(k -> k.getDeviceType().equals("GPU"));
  }

  static List<Finding> check(List<String> backbones, List<String> prompts, InputSpec input, KernelRegistry kernels,
      java.util.function.Consumer<String> progress) {
    List<Finding> findings = new ArrayList<>();
    DatasetSplits data = tinyData(input);
    OptimizerConfig adam = OptimizerConfig.of(OptimizerKind.ADAM, 1e-4).withDecayPolicy(DecayPolicy.ALL);
    for (String backbone : backbones) {
      for (String prompt : prompts) {
        ModelSpec spec = ModelSpec.of(input, 10, backbone, null, Prompts.create(prompt));
        String model = backbone + " + " + prompt;
        try {
          spec.createBackbone();
        } catch (IllegalArgumentException e) {
          progress.accept(model + ": skipped (" + e.getMessage() + ")");
          continue;
        }
        progress.accept(model);
        TrainingGraph.Definition training = TrainingGraph.definition(spec, data, ALL_AUGMENTATIONS, adam, 1,
            name -> false, SessionSpec.LOCAL);
        findings.add(finding(model, "training step", training.graph(),
            dev.vprompt.ops.placement.GpuReadiness.upstream(training.graph(), training.step(), Set.of()), kernels));
        ServingGraphDefinition serving = ServingGraphDefinition.of(spec);
        Set<String> model0 = null;
        for (Map.Entry<String, List<String>> signature : serving.fetched().entrySet()) {
          String fed = serving.fed().get(signature.getKey());
          Set<String> ops = dev.vprompt.ops.placement.GpuReadiness.upstream(serving.graph(), signature.getValue(),
              Set.of(fed));
          if (model0 == null) {
            model0 = ops;
            findings.add(finding(model, "serving " + signature.getKey(), serving.graph(), ops, kernels));
          } else {
            // the encoded signature runs the default one's ops after decoding: report the decoding part
            Set<String> decoding = new java.util.HashSet<>(ops);
            decoding.removeAll(model0);
            findings.add(finding(model, "serving " + signature.getKey() + " decoding", serving.graph(), decoding,
                kernels));
          }
        }
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
    ModelSpec spec = ModelSpec.of(input, 10, backbone, null, Prompts.create(prompt));
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
    List<OpUse> cpuOnly = uses.stream().filter(u -> !u.gpu()).toList();
    return new Finding(model, graph, cpuOnly, uses.size());
  }

  /** The op types without a GPU kernel, each with the graphs it occurs in: the report's table. */
  static Map<String, Set<String>> cpuOnlyOps(List<Finding> findings) {
    Map<String, Set<String>> ops = new TreeMap<>();
    for (Finding f : findings) {
      for (OpUse use : f.cpuOnly()) {
        ops.computeIfAbsent(use.op() + (use.types().isEmpty() ? "" : " (" + use.types() + ")"), k -> new TreeSet<>())
            .add(f.graph());
      }
    }
    return ops;
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
    for (int i = 0; i < 10; i++) {
      names.add("class" + i);
    }
    ImageSet set = new ImageSet(pixels, new int[] {0, 1}, input.height(), input.width(), input.channels(), names);
    return new DatasetSplits("readiness", set, set);
  }
}

package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.backbones.AttentionBlocks;
import dev.vprompt.graph.backbones.Backbones;
import dev.vprompt.graph.prompts.Prompts;
import dev.vprompt.ops.placement.GpuReadiness.OpUse;
import dev.vprompt.ops.placement.KernelRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs under {@code mvn -Pgpu} only (the GPU native build, which loads without a GPU): every backbone
 * family x prompt's training step, transfer steps and serving graphs have a GPU kernel for every op except
 * the expected host ops.
 *
 * <p>The families are checked at tiny configurations ({@link GpuReadiness#DEFAULT_BACKBONES}), not at
 * the full size of their named variants (ViT-B/16, Swin-B, ConvNeXt-B, ...), whose graphs take an hour to
 * build for every prompt on two cores. That proves as much: which op types (with their type attributes) a
 * graph holds is decided by the code that builds it, and a family's variants differ only in numbers that
 * code loops over or sizes tensors with (widths, depths, heads, patch sizes), not in which ops it emits.
 * What can add or remove op types is geometry (Swin pads a grid its window does not divide, shifts only
 * windows smaller than the grid), so the tiny configurations take every geometric path of the named
 * variants. {@link #tinyConfigurationsHoldTheOpTypesOfTheirFullSizeVariants} checks the claim for ViT-B/16
 * and ResNet-50 at 224x224, every op type of every graph, against their tiny configurations at 32x32;
 * the full-size list stays available as {@code scripts/gpu-readiness.sh --backbones all}.
 */
@Tag("gpu")
class GpuReadinessTest {

  private static final InputSpec INPUT = GpuReadiness.DEFAULT_INPUT;

  @Test
  void everyTrainingStepAndServingGraphRunsOnTheGpuButForDecodingAndHostTypes() {
    KernelRegistry kernels = gpuKernels();
    assertTrue(kernels.kernels("DecodeImage").stream().noneMatch(k -> k.getDeviceType().equals("GPU")),
        "TensorFlow decodes images on the CPU only");
    assertEquals(List.of(), GpuReadiness.uncoveredFamilies(GpuReadiness.DEFAULT_BACKBONES, INPUT),
        "every registered backbone family is checked by a variant or a configuration");
    List<String> checked = new ArrayList<>();
    GpuReadiness.Report report = GpuReadiness.check(GpuReadiness.DEFAULT_BACKBONES, Prompts.NAMES, INPUT, kernels,
        checked::add);
    // the record docs/distributed.md quotes: what was checked and which op types stay on the CPU
    System.out.printf("%d pairs built, %d skipped, %d graphs, %d op types; without a GPU kernel:%n", checked.size(),
        report.skipped().size(), report.findings().size(), GpuReadiness.opTypes(report.findings()).size());
    GpuReadiness.cpuOnlyOps(report.findings()).forEach((op, graphs) -> System.out.println("  " + op + " in "
        + graphs.size() + " kinds of graph, e.g. " + graphs.iterator().next()));
    report.skipped().forEach(line -> System.out.println("  skipped " + line));
    for (String skipped : report.skipped()) {
      String backbone = skipped.substring(0, skipped.indexOf(" + "));
      assertTrue(skipped.startsWith(backbone + " + lora: ")
          && !(Backbones.create(backbone, INPUT, null) instanceof AttentionBlocks),
          "only LoRA on a backbone without attention is refused: " + skipped);
    }
    int pairs = GpuReadiness.DEFAULT_BACKBONES.size() * (Prompts.NAMES.size() + GpuReadiness.TRANSFERS.size());
    assertEquals(pairs, checked.size() + report.skipped().size());
    long graphsPerModel = 3; // training step, serving_default, predict_encoded decoding
    assertEquals(checked.size() * graphsPerModel, report.findings().size());

    List<String> defects = new ArrayList<>();
    boolean decodingFound = false;
    for (GpuReadiness.Finding f : report.findings()) {
      assertTrue(f.opTypes() > 0, f.model() + " / " + f.graph() + " holds ops");
      for (OpUse use : f.cpuOnly()) {
        String why = GpuReadiness.expected(f.graph(), use);
        decodingFound |= "decoding".equals(why) && use.op().equals("DecodeImage");
        if (why == null) {
          defects.add(f.model() + " / " + f.graph() + ": " + use);
        }
      }
    }
    assertTrue(decodingFound, "predict_encoded's DecodeImage is found as a CPU op");
    assertEquals(List.of(), defects);
    // what the steps are meant to hold: the augmentation's affine map, Mixup's Gamma draws, both resizes
    Set<String> ops = new TreeSet<>();
    GpuReadiness.opTypes(report.findings()).forEach(t -> ops.add(t.split(" ")[0]));
    assertTrue(ops.containsAll(List.of("ImageProjectiveTransformV3", "StatelessRandomGammaV3", "ResizeBilinear",
        "ResizeNearestNeighbor", "DecodeImage")), ops.toString());
  }

  @Test
  void towerStepsWithAndWithoutSynchronisedBatchNormRunOnTheGpuButForHostTypes() {
    KernelRegistry kernels = gpuKernels();
    List<String> defects = new ArrayList<>();
    for (boolean sync : new boolean[] {false, true}) {
      for (String backbone : List.of("cnn", "resnet18")) {
        GpuReadiness.Finding f = GpuReadiness.checkTowers(backbone, "msvp", INPUT, sync, kernels);
        assertTrue(f.opTypes() > 20, f.toString());
        for (OpUse use : f.cpuOnly()) {
          if (GpuReadiness.expected(f.graph(), use) == null) {
            defects.add(f.model() + " / " + f.graph() + ": " + use);
          }
        }
      }
    }
    assertEquals(List.of(), defects);
  }

  /**
   * ViT-B/16 and ResNet-50 (bottleneck blocks) at 224x224, with a prompt that adds its field at the input
   * (vp-pad), one in every block (lotep-cp) and one in the attention (LoRA; ResNet-50 refuses it) and the
   * transfer steps: the same op types as their tiny configurations at 32x32.
   */
  @Test
  void tinyConfigurationsHoldTheOpTypesOfTheirFullSizeVariants() {
    KernelRegistry kernels = gpuKernels();
    List<String> prompts = List.of("vp-pad", "lotep-cp", "lora");
    InputSpec full = new InputSpec(224, 224, 3);
    for (String[] pair : new String[][] {
        {"vit-b16", "vit(patch=4,dim=16,depth=2,heads=2)"},
        {"resnet50-in", "resnet(block=bottleneck,layers=1-1-1-1,channels=8-8-16-16)"}}) {
      GpuReadiness.Report big = GpuReadiness.check(List.of(pair[0]), prompts, full, kernels, line -> {});
      GpuReadiness.Report tiny = GpuReadiness.check(List.of(pair[1]), prompts, INPUT, kernels, line -> {});
      assertEquals(big.skipped().size(), tiny.skipped().size(), pair[0] + " and " + pair[1] + " refuse the same");
      assertEquals(big.findings().size(), tiny.findings().size());
      for (int i = 0; i < big.findings().size(); i++) {
        GpuReadiness.Finding b = big.findings().get(i);
        GpuReadiness.Finding t = tiny.findings().get(i);
        assertEquals(b.graph(), t.graph());
        assertFalse(b.uses().isEmpty());
        assertEquals(GpuReadiness.opTypes(List.of(b)), GpuReadiness.opTypes(List.of(t)),
            b.model() + " / " + b.graph() + " against " + t.model());
      }
      System.out.printf("%s and %s: %d graphs, %d op types, the same%n", pair[0], pair[1], big.findings().size(),
          GpuReadiness.opTypes(big.findings()).size());
    }
  }

  private static KernelRegistry gpuKernels() {
    KernelRegistry kernels = new KernelRegistry();
    assertTrue(GpuReadiness.gpuKernelsRegistered(kernels), "the GPU native build is on the classpath (mvn -Pgpu)");
    return kernels;
  }
}

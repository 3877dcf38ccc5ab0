package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.backbones.Backbones;
import dev.vprompt.graph.prompts.Prompts;
import dev.vprompt.ops.placement.GpuReadiness.OpUse;
import dev.vprompt.ops.placement.KernelRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs under {@code mvn -Pgpu} only (the GPU native build, which loads without a GPU): every backbone x
 * prompt's training step and serving graphs have a GPU kernel for every op except the expected host ops.
 */
@Tag("gpu")
class GpuReadinessTest {

  @Test
  void everyTrainingStepAndServingGraphRunsOnTheGpuButForDecodingAndHostTypes() {
    KernelRegistry kernels = new KernelRegistry();
    assertTrue(GpuReadiness.gpuKernelsRegistered(kernels), "the GPU native build is on the classpath (mvn -Pgpu)");
    assertTrue(kernels.kernels("DecodeImage").stream().noneMatch(k -> k.getDeviceType().equals("GPU")),
        "TensorFlow decodes images on the CPU only");
    List<String> checked = new ArrayList<>();
    List<GpuReadiness.Finding> findings = GpuReadiness.check(Backbones.NAMES, Prompts.NAMES,
        InputSpec.parse("32x32x3"), kernels, checked::add);
    assertFalse(findings.isEmpty());
    List<String> defects = new ArrayList<>();
    boolean decodingFound = false;
    for (GpuReadiness.Finding f : findings) {
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
    long graphsPerModel = 3; // training step, serving_default, predict_encoded decoding
    assertEquals(findings.size(), (checked.size() - checked.stream().filter(c -> c.contains("skipped")).count())
        * graphsPerModel);
  }

  @Test
  void towerStepsWithAndWithoutSynchronisedBatchNormRunOnTheGpuButForHostTypes() {
    KernelRegistry kernels = new KernelRegistry();
    assertTrue(GpuReadiness.gpuKernelsRegistered(kernels), "the GPU native build is on the classpath (mvn -Pgpu)");
    List<String> defects = new ArrayList<>();
    for (boolean sync : new boolean[] {false, true}) {
      for (String backbone : List.of("cnn", "resnet18")) {
        GpuReadiness.Finding f = GpuReadiness.checkTowers(backbone, "msvp", InputSpec.parse("32x32x3"), sync, kernels);
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
}

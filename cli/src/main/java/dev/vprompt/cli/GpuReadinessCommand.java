package dev.vprompt.cli;

import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.prompts.Prompts;
import dev.vprompt.ops.placement.GpuReadiness.OpUse;
import dev.vprompt.ops.placement.KernelRegistry;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vprompt gpu-readiness}: which ops of the training and serving graphs lack a GPU kernel. */
@Command(
    name = "gpu-readiness",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Builds the training step and the serving graph of every backbone x prompt (without running them), and "
          + "per backbone two transfer steps (in-graph resize, label map, frozen backbone, SGD and AdamW), and "
          + "lists each op whose types have no GPU kernel in the loaded TensorFlow native library "
          + "(TF_GetRegisteredKernelsForOp). Needs the GPU native build, which also loads without a GPU: "
          + "run scripts/gpu-readiness.sh.",
      "",
      "The default backbones are the ones trained here at their own size and every pretrained family at a tiny "
          + "configuration: a graph's op types come from the code that builds it, not from its widths and depths, "
          + "so the tiny configurations hold the full-size variants' op types (--backbones all checks those, "
          + "far more slowly: that did not finish in 62 minutes on a loaded 2-core machine).",
      "",
      "Exit code 0: only the expected CPU ops (image decoding in predict_encoded, int32 shape arithmetic, uint8 "
          + "pixels, all kept on the host by TensorFlow's design); 1: another op would fall back to the CPU; 2: the "
          + "native library has no GPU kernels."
    })
final class GpuReadinessCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  // split at the commas outside a configuration's parentheses
  @Option(names = "--backbones", split = ",(?![^()]*\\))", paramLabel = "LIST",
      description = "Backbones to check: names, or family configurations such as vit(patch=4,dim=16,depth=2,heads=2); "
          + "'all' for every named backbone at full size (default: the small named ones and a tiny configuration of "
          + "each pretrained family).")
  List<String> backbones;

  @Option(names = "--prompts", split = ",", paramLabel = "LIST", description = "Prompts to check (default: all).")
  List<String> prompts;

  @Option(names = "--input", defaultValue = "32x32x3", paramLabel = "HxWxC", description = "Input shape (default: ${DEFAULT-VALUE}).")
  String input;

  @Option(names = "--all", description = "Also list the ops expected on the CPU (decoding, int32 shape arithmetic, uint8 pixels).")
  boolean verbose;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    KernelRegistry kernels = new KernelRegistry();
    if (!GpuReadiness.gpuKernelsRegistered(kernels)) {
      throw new IllegalArgumentException("the loaded TensorFlow native library registers no GPU kernels (MatMul has "
          + "none): run with the GPU build, scripts/gpu-readiness.sh");
    }
    List<String> b = GpuReadiness.backbones(backbones);
    List<String> p = prompts != null ? prompts : Prompts.NAMES;
    InputSpec shape = InputSpec.parse(input);
    GpuReadiness.Report report = GpuReadiness.check(b, p, shape, kernels,
        line -> { out.println("checking " + line); out.flush(); });
    List<GpuReadiness.Finding> findings = report.findings();
    report.skipped().forEach(line -> out.println("skipped " + line));
    boolean defect = false;
    out.println();
    out.println("| model | graph | op types | ops without a GPU kernel |");
    out.println("|---|---|---:|---|");
    for (GpuReadiness.Finding f : findings) {
      StringBuilder cpu = new StringBuilder();
      for (OpUse use : f.cpuOnly()) {
        String expected = GpuReadiness.expected(f.graph(), use);
        if (expected != null && !verbose) {
          continue;
        }
        defect |= expected == null;
        cpu.append(cpu.length() == 0 ? "" : "; ").append(use.op()).append(use.types().isEmpty() ? "" : " (" + use.types() + ")")
            .append(" x").append(use.count()).append(expected != null ? " (" + expected + ")" : " (DEFECT)");
      }
      out.printf(Locale.ROOT, "| %s | %s | %d | %s |%n", f.model(), f.graph(), f.opTypes(),
          cpu.length() == 0 ? "none" : cpu);
    }
    out.println();
    Map<String, Set<String>> all = GpuReadiness.cpuOnlyOps(findings);
    out.printf(Locale.ROOT, "%d graphs checked; op types without a GPU kernel (expected ones included): %s%n",
        findings.size(), all.isEmpty() ? "none" : String.join(", ", all.keySet()));
    out.println(defect ? "DEFECTS: the ops marked DEFECT would run on the CPU in the middle of a GPU step"
        : "no defects: every op without a GPU kernel is decoding, int32 shape arithmetic or uint8 pixels");
    return defect ? 1 : 0;
  }
}

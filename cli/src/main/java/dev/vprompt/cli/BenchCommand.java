package dev.vprompt.cli;

import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.train.bench.Benchmark;
import dev.vprompt.core.run.Json;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vprompt bench}: training and inference throughput, with ratios measured in one process. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Measures, in one process and on synthetic images: training-step images/s with the full resident "
          + "input pipeline (gather + augmentation) with and without the prompt, the same step fed a fixed "
          + "batch from Java, and inference images/s with and without the prompt. Configurations run in "
          + "interleaved rounds; medians and their ratios are printed. Read the ratios: absolute figures "
          + "depend on the machine and its load."
    })
final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ModelOptions model;

  @Option(names = "--input", paramLabel = "HxWxC", defaultValue = "28x28x1", description = "Image shape (default: ${DEFAULT-VALUE}).")
  String input;

  @Option(names = "--classes", defaultValue = "10", description = "Classes (default: ${DEFAULT-VALUE}).")
  int classes;

  @Option(names = "--batch-size", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--steps", defaultValue = "20", description = "Timed steps per configuration and round (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--warmup", defaultValue = "5", description = "Untimed steps per configuration first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--rounds", defaultValue = "5", description = "Interleaved rounds; medians are reported (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--threads", defaultValue = "0", description = "TensorFlow intra-op threads; 0 uses every core.")
  int threads;

  @Option(names = "--freeze", paramLabel = "WHAT", defaultValue = "none",
      description = "backbone: train only the prompt and the head (a pretrained backbone's protocol; the backward pass "
          + "still runs through the backbone to an input prompt), none (default: ${DEFAULT-VALUE}).")
  String freeze;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Option(names = "--verbose", description = "Stack traces on errors.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    if (batchSize < 1 || steps < 1 || rounds < 1 || warmup < 0) {
      throw new IllegalArgumentException("--batch-size, --steps and --rounds must be at least 1, --warmup at least 0");
    }
    InputSpec in = InputSpec.parse(input);
    ModelSpec prompted = ModelSpec.of(in, classes, model.backbone(), model.patchSize, model.createPrompt());
    prompted.createBackbone();
    if (!freeze.equals("none") && !freeze.equals("backbone")) {
      throw new IllegalArgumentException("--freeze must be backbone or none, got '" + freeze + "'");
    }
    java.util.function.Predicate<String> frozen = freeze.equals("backbone") ? n -> n.startsWith("backbone.") : n -> false;
    Benchmark.Report report = Benchmark.run(new Benchmark.Settings(prompted, batchSize, steps, warmup, rounds, threads, 42,
        frozen));
    long peakKib = PeakMemory.residentKib();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> document = new LinkedHashMap<>();
      document.put("backbone", prompted.backbone());
      document.put("prompt", prompted.prompt().name());
      document.put("input", in.toString());
      document.put("batch_size", batchSize);
      document.put("steps", steps);
      document.put("rounds", rounds);
      document.put("freeze", freeze);
      document.put("peak_rss_mib", peakKib < 0 ? null : peakKib / 1024);
      Map<String, Object> figures = new LinkedHashMap<>();
      report.measurements().forEach(m -> figures.put(m.name(), m.medianImagesPerSecond()));
      document.put("images_per_sec", figures);
      document.put("ratios", report.ratios());
      out.println(Json.PRETTY.writeValueAsString(document));
    } else {
      out.printf(Locale.ROOT, "%s + %s, %s, batch %d, %d steps x %d rounds (medians)%s%n", prompted.backbone(),
          prompted.prompt().name(), in, batchSize, steps, rounds, freeze.equals("backbone") ? ", backbone frozen" : "");
      for (Benchmark.Measurement m : report.measurements()) {
        out.printf(Locale.ROOT, "  %-28s %10.1f images/s%n", m.name(), m.medianImagesPerSecond());
      }
      report.ratios().forEach((name, value) -> out.printf(Locale.ROOT, "  %-34s %.3f%n", name, value));
      if (peakKib >= 0) {
        out.printf(Locale.ROOT, "  peak resident memory (VmHWM)     %d MiB%n", peakKib / 1024);
      }
    }
    out.flush();
    return 0;
  }
}

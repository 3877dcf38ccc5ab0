package dev.vprompt.cli;

import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.train.bench.Benchmark;
import dev.vprompt.core.run.Json;
import dev.vprompt.train.bench.OpProfile;
import dev.vprompt.train.bench.PeerResults;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
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
          + "interleaved rounds; medians and their ratios are printed, with each configuration's share of a "
          + "float32 MatMul's FLOP/s timed in the same rounds, and the ratio to a peer benchmark's results "
          + "(--peer). Read the ratios: absolute figures depend on the machine and its load.",
      "--profile instead traces a few steps (TensorFlow's FULL_TRACE step statistics) and prints the op "
          + "types that took the most kernel time in the training step and in the inference graph."
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

  @Option(names = "--infer-batch", paramLabel = "N", description = "Inference batch size (default: the training batch size).")
  Integer inferBatch;

  @Option(names = "--gemm-size", paramLabel = "N", defaultValue = "2048",
      description = "Side of the square float32 MatMul timed in every round as the %% of GEMM reference; 0: none "
          + "(default: ${DEFAULT-VALUE}).")
  int gemmSize;

  @Option(names = "--peer", paramLabel = "FILE",
      description = "A peer benchmark's output (its RESULT lines, e.g. the DJL PyTorch harness's): prints the ratio "
          + "of each configuration to the peer's images/s for the same model, input and batch.")
  Path peer;

  @Option(names = "--only", paramLabel = "WHAT", defaultValue = "all",
      description = "Time only the train or the infer configurations, or a comma-separated list of configurations "
          + "(train_pipeline_prompted, train_pipeline_baseline, train_fixed_batch_prompted, infer_prompted, "
          + "infer_baseline; only their graphs are built, so the peak memory is theirs), or all (default: ${DEFAULT-VALUE}).")
  String only;

  @Option(names = "--profile", description = "Print the op types taking the most kernel time instead of timing rounds.")
  boolean profile;

  @Option(names = "--profile-steps", paramLabel = "N", defaultValue = "3",
      description = "--profile: traced runs of each graph, after --warmup untraced ones (default: ${DEFAULT-VALUE}).")
  int profileSteps;

  @Option(names = "--top", paramLabel = "N", defaultValue = "15",
      description = "--profile: op types listed per graph (default: ${DEFAULT-VALUE}).")
  int top;
  @Option(names = "--freeze", paramLabel = "WHAT", defaultValue = "none",
      description = "backbone: train only the prompt and the head (a pretrained backbone's protocol; the backward pass "
          + "still runs through the backbone to an input prompt), none (default: ${DEFAULT-VALUE}).")
  String freeze;

  @Option(names = "--parallel", description = "Instead: data-parallel towers against one device with 2 threads, same global batch: 1 and 2 towers on virtual CPU devices with one thread each (2 towers also with --sync-bn), and with --cluster the workers of a cluster (start each with 'vprompt worker --threads 1').")
  boolean parallel;

  @Option(names = "--cluster", paramLabel = "FILE", description = "With --parallel: also time the towers on this cluster's workers (which it clears of any earlier client's variables first; one client per cluster at a time).")
  java.nio.file.Path cluster;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Option(names = "--verbose", description = "Stack traces on errors.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    int inferBatchSize = inferBatch != null ? inferBatch : batchSize;
    if (batchSize < 1 || inferBatchSize < 1 || steps < 1 || rounds < 1 || warmup < 0 || profileSteps < 1 || top < 1) {
      throw new IllegalArgumentException("--batch-size, --infer-batch, --steps, --rounds, --profile-steps and --top "
          + "must be at least 1, --warmup at least 0");
    }
    Benchmark.selected(only);  // a clear error for an unknown name before any graph is built
    if (gemmSize < 0 || gemmSize > 8192) {
      throw new IllegalArgumentException("--gemm-size must be between 0 (none) and 8192, got " + gemmSize);
    }
    if (!freeze.equals("none") && !freeze.equals("backbone")) {
      throw new IllegalArgumentException("--freeze must be backbone or none, got '" + freeze + "'");
    }
    java.util.function.Predicate<String> frozen = freeze.equals("backbone") ? n -> n.startsWith("backbone.") : n -> false;
    PeerResults peerResults = peer != null ? PeerResults.read(peer) : null;
    InputSpec in = InputSpec.parse(input);
    ModelSpec prompted = ModelSpec.of(in, classes, model.backbone(), model.patchSize, model.createPrompt());
    prompted.createBackbone();
    Benchmark.Settings settings = new Benchmark.Settings(prompted, batchSize, inferBatchSize, steps, warmup, rounds,
        threads, 42, profile || parallel ? 0 : gemmSize, only, frozen);
    if (cluster != null && !parallel) {
      throw new IllegalArgumentException("--cluster applies to --parallel only");
    }
    dev.vprompt.ops.placement.SessionSpec clusterSession = null;
    if (cluster != null) {
      dev.vprompt.ops.placement.ClusterSpec spec = PlacementOptions.readCluster(cluster);
      String down = spec.firstUnreachable(2000);
      if (down != null) {
        throw new IllegalArgumentException("the cluster file " + cluster + ": task " + down + " does not accept connections");
      }
      clusterSession = new dev.vprompt.ops.placement.SessionSpec(spec.layout(), false, false, spec.masterTarget(), 120_000);
    }
    PrintWriter out = spec.commandLine().getOut();
    String onednn = System.getenv().getOrDefault("TF_ENABLE_ONEDNN_OPTS", "unset");
    if (profile) {
      Benchmark.Profiles profiles = Benchmark.profile(settings, profileSteps);
      if (json) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("backbone", prompted.backbone());
        document.put("prompt", prompted.prompt().name());
        document.put("input", in.toString());
        document.put("tf_enable_onednn_opts", onednn);
        document.put("train", profileJson(profiles.train(), batchSize));
        document.put("infer", profileJson(profiles.infer(), inferBatchSize));
        out.println(Json.PRETTY.writeValueAsString(document));
      } else {
        out.printf(Locale.ROOT, "%s + %s, %s, TF_ENABLE_ONEDNN_OPTS=%s, %d traced runs each (after %d untraced)%n",
            prompted.backbone(), prompted.prompt().name(), in, onednn, profileSteps, warmup);
        printProfile(out, "training step, batch " + batchSize, profiles.train());
        printProfile(out, "inference, batch " + inferBatchSize, profiles.infer());
      }
      out.flush();
      return 0;
    }
    Benchmark.Report report = parallel ? Benchmark.parallel(settings, clusterSession) : Benchmark.run(settings);
    long peakKib = PeakMemory.residentKib();
    Map<String, Double> peerRatios = peerResults != null
        ? peerRatios(peerResults, report, prompted.backbone(), in.toString(), batchSize, inferBatchSize) : Map.of();
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
      Map<String, Object> cpuFigures = new LinkedHashMap<>();
      report.measurements().forEach(m -> cpuFigures.put(m.name(), measuredOrNull(m.medianImagesPerCpuSecond())));
      document.put("images_per_cpu_sec", cpuFigures);
      document.put("ratios", report.ratios());
      document.put("infer_batch_size", inferBatchSize);
      document.put("tf_enable_onednn_opts", onednn);
      document.put("forward_gflop_per_image", measuredOrNull(report.forwardGflopPerImage()));
      if (gemmSize > 0 && Double.isFinite(report.gemmGflops())) {
        document.put("gemm_size", gemmSize);
        document.put("gemm_gflops", report.gemmGflops());
        Map<String, Object> shares = new LinkedHashMap<>();
        report.measurements().forEach(m -> shares.put(m.name(), report.shareOfGemm(m.name())));
        document.put("share_of_gemm", shares);
      }
      if (peerResults != null) {
        document.put("peer_file", peerResults.file().toString());
        document.put("over_peer", peerRatios);
      }
      out.println(Json.PRETTY.writeValueAsString(document));
    } else {
      out.printf(Locale.ROOT, "%s + %s, %s, batch %d (inference %d), %d steps x %d rounds (medians), "
          + "TF_ENABLE_ONEDNN_OPTS=%s%s%n", prompted.backbone(), prompted.prompt().name(), in, batchSize, inferBatchSize,
          steps, rounds, onednn, freeze.equals("backbone") ? ", backbone frozen" : "");
      // --parallel measures neither FLOPs, CPU time nor the MatMul: print only what was measured
      if (Double.isFinite(report.forwardGflopPerImage())) {
        out.printf(Locale.ROOT, "  forward %.4f GFLOP per image (convolutions and matrix products; training: 3x)%n",
            report.forwardGflopPerImage());
      }
      boolean gemmTimed = gemmSize > 0 && Double.isFinite(report.gemmGflops());
      if (gemmTimed) {
        out.printf(Locale.ROOT, "  MatMul %d^3 in the same rounds: %.1f GFLOP/s%n", gemmSize, report.gemmGflops());
      }
      for (Benchmark.Measurement m : report.measurements()) {
        String perCpu = Double.isFinite(m.medianImagesPerCpuSecond())
            ? String.format(Locale.ROOT, " %8.2f per CPU-s", m.medianImagesPerCpuSecond()) : "";
        String share = gemmTimed ? String.format(Locale.ROOT, "  %5.1f%% of GEMM", 100 * report.shareOfGemm(m.name())) : "";
        out.printf(Locale.ROOT, "  %-34s %10.2f images/s%s%s%n", m.name(), m.medianImagesPerSecond(), perCpu, share);
      }
      report.ratios().forEach((name, value) -> out.printf(Locale.ROOT, "  %-34s %.3f%n", name, value));
      if (peerResults != null) {
        if (peerRatios.isEmpty()) {
          out.printf(Locale.ROOT, "  no peer result for %s %s at batch %d or %d in %s%n", prompted.backbone(), in,
              batchSize, inferBatchSize, peerResults.file());
        }
        peerRatios.forEach((name, value) -> out.printf(Locale.ROOT, "  %-34s %.3f%n", name, value));
      }
      if (peakKib >= 0) {
        out.printf(Locale.ROOT, "  peak resident memory (VmHWM)     %d MiB%n", peakKib / 1024);
      }
    }
    out.flush();
    return 0;
  }

  /** JSON null for a figure the mode did not measure (NaN), rather than the string "NaN". */
  private static Double measuredOrNull(double value) {
    return Double.isFinite(value) ? value : null;
  }

  /** Each configuration over the peer's figure for the same task, model, input and batch, where it has one. */
  private static Map<String, Double> peerRatios(PeerResults peer, Benchmark.Report report, String backbone, String input,
      int batch, int inferBatch) {
    Map<String, Double> ratios = new LinkedHashMap<>();
    OptionalDouble train = peer.imagesPerSecond("train", backbone, input, batch);
    OptionalDouble infer = peer.imagesPerSecond("infer", backbone, input, inferBatch);
    for (Benchmark.Measurement m : report.measurements()) {
      OptionalDouble reference = m.name().startsWith("train") ? train : infer;
      if (reference.isPresent()) {
        ratios.put(m.name() + "_over_peer", m.medianImagesPerSecond() / reference.getAsDouble());
      }
    }
    return ratios;
  }

  private Map<String, Object> profileJson(OpProfile profile, int batch) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("batch_size", batch);
    document.put("traced_runs", profile.runs());
    document.put("wall_ms_per_run", profile.wallMillisPerRun());
    document.put("kernel_ms_per_run", profile.kernelMillisPerRun());
    List<Map<String, Object>> ops = new ArrayList<>();
    for (OpProfile.OpTime t : profile.byOpType()) {
      Map<String, Object> op = new LinkedHashMap<>();
      op.put("op_type", t.opType());
      op.put("ms_per_run", t.millisPerRun());
      op.put("share", t.share());
      op.put("kernels_per_run", t.kernelsPerRun());
      ops.add(op);
    }
    document.put("op_types", ops);
    return document;
  }

  private void printProfile(PrintWriter out, String title, OpProfile profile) {
    out.printf(Locale.ROOT, "%s: %.1f ms wall per traced run, %.1f ms of kernel time (two threads overlap)%n", title,
        profile.wallMillisPerRun(), profile.kernelMillisPerRun());
    out.printf(Locale.ROOT, "  %-36s %10s %7s %8s%n", "op type", "ms/run", "share", "kernels");
    List<OpProfile.OpTime> times = profile.byOpType();
    double rest = 0;
    for (int i = 0; i < times.size(); i++) {
      OpProfile.OpTime t = times.get(i);
      if (i < top) {
        out.printf(Locale.ROOT, "  %-36s %10.2f %6.1f%% %8.0f%n", t.opType(), t.millisPerRun(), 100 * t.share(),
            t.kernelsPerRun());
      } else {
        rest += t.share();
      }
    }
    if (times.size() > top) {
      out.printf(Locale.ROOT, "  %-36s %10s %6.1f%%%n", (times.size() - top) + " other op types", "", 100 * rest);
    }
  }
}

package dev.vprompt.train.bench;

import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.graph.prompts.baselines.NoPrompt;
import dev.vprompt.ops.Tensors;
import dev.vprompt.core.data.DatasetSplits;
import dev.vprompt.core.data.ImageSet;
import dev.vprompt.train.optim.OptimizerConfig;
import dev.vprompt.train.optim.OptimizerKind;
import dev.vprompt.train.pipeline.Augmentation;
import dev.vprompt.train.trainer.TrainingGraph;
import dev.vprompt.ops.placement.DeviceLayout;
import dev.vprompt.ops.placement.SessionSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Throughput of one model in one process, on synthetic images of the given shape: the training step
 * with the full resident input pipeline (gather + augmentation) with and without the prompt, the same
 * step fed a fixed batch from Java, and inference with and without the prompt. The configurations are
 * timed in interleaved rounds and each reports its median, so that a noisy neighbour slows all of them
 * alike; the ratios are what to read.
 */
public final class Benchmark {

  /**
   * One configuration's images per second, per round and their median, and the median images per
   * second of the process's CPU time (every thread, TensorFlow's included): on a shared machine the
   * wall clock counts the neighbours' work too, CPU time counts only this process's.
   */
  public record Measurement(String name, double medianImagesPerSecond, double[] roundImagesPerSecond,
      double medianImagesPerCpuSecond) {}

  /**
   * All measurements and the ratios between them; the forward GFLOP of one image (prompt included) and,
   * when measured, the median GEMM GFLOP/s of the same rounds (NaN otherwise).
   */
  public record Report(List<Measurement> measurements, Map<String, Double> ratios, double forwardGflopPerImage,
      double gemmGflops) {

    public Measurement measurement(String name) {
      return measurements.stream().filter(m -> m.name().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no measurement " + name));
    }

    /** A configuration's achieved GFLOP/s as a share of the GEMM figure (training counts 3 forwards). */
    public double shareOfGemm(String name) {
      double flopPerImage = forwardGflopPerImage * (name.startsWith("train") ? 3 : 1);
      return measurement(name).medianImagesPerSecond() * flopPerImage / gemmGflops;
    }
  }

  /**
   * What to measure.
   *
   * @param inferBatch the inference configurations' batch size
   * @param gemmSize the side of the square MatMul timed in every round as the FLOP/s reference; 0: none
   * @param only {@code "train"} or {@code "infer"} to time only those configurations, a comma-separated list
   *     of {@link #CONFIGURATIONS}, or {@code "all"}
   * @param frozen the variables that do not train (a frozen backbone's: the backward pass still runs to an input prompt)
   */
  public record Settings(ModelSpec prompted, int batchSize, int inferBatch, int steps, int warmupSteps, int rounds,
      int threads, long seed, int gemmSize, String only, java.util.function.Predicate<String> frozen) {}

  /** The training step's and the inference graph's kernel times. */
  public record Profiles(OpProfile train, OpProfile infer) {}

  /** Every configuration {@link #run} can time, in its order. */
  public static final List<String> CONFIGURATIONS = List.of("train_pipeline_prompted", "train_pipeline_baseline",
      "train_fixed_batch_prompted", "infer_prompted", "infer_baseline");

  private Benchmark() {}

  public static Report run(Settings s) {
    ModelSpec prompted = s.prompted();
    ModelSpec baseline = new ModelSpec(prompted.input(), prompted.classes(), prompted.backbone(), prompted.patchSize(),
        new NoPrompt(), prompted.mean(), prompted.std());
    DatasetSplits data = syntheticData(prompted.input(), prompted.classes(),
        Math.max(4 * Math.max(s.batchSize(), s.inferBatch()), 512), s.seed());
    Augmentation augmentation = Augmentation.choose("auto", "", prompted.input().channels());
    OptimizerConfig adam = OptimizerConfig.of(OptimizerKind.ADAM, 1e-4);
    int[] rows = firstRows(s.batchSize());
    int[] inferRows = firstRows(s.inferBatch());
    List<String> wanted = selected(s.only());
    boolean needPrompted = wanted.contains("train_pipeline_prompted") || wanted.contains("infer_prompted");
    boolean needBaseline = wanted.contains("train_pipeline_baseline") || wanted.contains("infer_baseline");
    boolean needFixed = wanted.contains("train_fixed_batch_prompted");
    // Only the graphs the selected configurations use are built: a large model's peak memory is then that of
    // the configurations asked for (try-with-resources skips the null ones).
    try (TrainingGraph pipelinePrompted = needPrompted
            ? new TrainingGraph(prompted, data, augmentation, adam, s.seed(), s.threads(), s.frozen()) : null;
        TrainingGraph pipelineBaseline = needBaseline
            ? new TrainingGraph(baseline, data, augmentation, adam, s.seed(), s.threads(), s.frozen()) : null;
        TrainingGraph fixedPrompted = needFixed ? new TrainingGraph(prompted, data, augmentation, adam, s.seed(),
            s.threads(), s.frozen(), TrainingGraph.Feed.FIXED_BATCH) : null;
        TFloat32 fixedImages = needFixed ? Tensors.floats(Shape.of(s.batchSize(), prompted.input().height(),
            prompted.input().width(), prompted.input().channels()),
            randomScaled(s.batchSize() * (int) prompted.input().pixels(), s.seed())) : null;
        TInt32 fixedLabels = needFixed
            ? Tensors.ints(Shape.of(s.batchSize()), Arrays.copyOf(data.train().labels(), s.batchSize())) : null;
        GemmReference gemm = s.gemmSize() > 0 ? new GemmReference(s.gemmSize(), TrainingGraph.sessionConfig(s.threads()))
            : null) {
      Map<String, IntConsumer> configs = new LinkedHashMap<>();
      configs.put("train_pipeline_prompted", step -> pipelinePrompted.step(rows, 1e-4f, step, s.seed()));
      configs.put("train_pipeline_baseline", step -> pipelineBaseline.step(rows, 1e-4f, step, s.seed()));
      configs.put("train_fixed_batch_prompted", step -> fixedPrompted.step(fixedImages, fixedLabels, 1e-4f, step, s.seed()));
      configs.put("infer_prompted", step -> pipelinePrompted.test().logits(pipelinePrompted.session(), inferRows));
      configs.put("infer_baseline", step -> pipelineBaseline.test().logits(pipelineBaseline.session(), inferRows));
      configs.keySet().retainAll(wanted);
      Map<String, double[]> rounds = new LinkedHashMap<>();
      configs.forEach((name, step) -> {
        for (int w = 0; w < s.warmupSteps(); w++) {
          step.accept(w);
        }
        rounds.put(name, new double[s.rounds()]);
      });
      Map<String, double[]> cpuRounds = new LinkedHashMap<>();
      configs.keySet().forEach(name -> cpuRounds.put(name, new double[s.rounds()]));
      double[] gemmRounds = new double[s.rounds()];
      if (gemm != null) {
        gemm.gflops(1);
      }
      for (int r = 0; r < s.rounds(); r++) {
        for (var entry : configs.entrySet()) {
          int batch = entry.getKey().startsWith("infer") ? s.inferBatch() : s.batchSize();
          long cpuStart = processCpuNanos();
          long start = System.nanoTime();
          for (int i = 0; i < s.steps(); i++) {
            entry.getValue().accept(s.warmupSteps() + r * s.steps() + i);
          }
          double seconds = (System.nanoTime() - start) / 1e9;
          double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
          rounds.get(entry.getKey())[r] = (double) s.steps() * batch / seconds;
          cpuRounds.get(entry.getKey())[r] = (double) s.steps() * batch / cpuSeconds;
        }
        if (gemm != null) {
          gemmRounds[r] = gemm.gflops(3);
        }
      }
      List<Measurement> measurements = new ArrayList<>();
      rounds.forEach((name, values) ->
          measurements.add(new Measurement(name, median(values), values, median(cpuRounds.get(name)))));
      return new Report(measurements, ratios(rounds), ForwardFlops.perImage(prompted) / 1e9,
          gemm != null ? median(gemmRounds) : Double.NaN);
    }
  }

  /**
   * TensorFlow's step statistics of the prompted model's training step (resident pipeline) and of its
   * inference graph, over {@code traced} runs each after {@code s.warmupSteps()} untraced ones.
   */
  public static Profiles profile(Settings s, int traced) {
    DatasetSplits data = syntheticData(s.prompted().input(), s.prompted().classes(),
        Math.max(4 * Math.max(s.batchSize(), s.inferBatch()), 512), s.seed());
    Augmentation augmentation = Augmentation.choose("auto", "", s.prompted().input().channels());
    int[] rows = firstRows(s.batchSize());
    int[] inferRows = firstRows(s.inferBatch());
    OpProfile train = new OpProfile();
    OpProfile infer = new OpProfile();
    try (TrainingGraph graph = new TrainingGraph(s.prompted(), data, augmentation,
        OptimizerConfig.of(OptimizerKind.ADAM, 1e-4), s.seed(), s.threads(), n -> false)) {
      int step = 0;
      for (int w = 0; w < s.warmupSteps(); w++) {
        graph.step(rows, 1e-4f, step++, s.seed());
        graph.test().logits(graph.session(), inferRows);
      }
      for (int i = 0; i < traced; i++) {
        long start = System.nanoTime();
        var metadata = graph.tracedStep(rows, 1e-4f, step++, s.seed());
        train.add(metadata, System.nanoTime() - start);
        start = System.nanoTime();
        metadata = graph.test().tracedLogits(graph.session(), inferRows);
        infer.add(metadata, System.nanoTime() - start);
      }
    }
    return new Profiles(train, infer);
  }

  /** CPU time of the whole process (all threads, native ones included), or -1 where the JVM cannot tell. */
  static long processCpuNanos() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  private static int[] firstRows(int n) {
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    return rows;
  }

  /**
   * The towers' machinery against one device, same global batch, interleaved rounds: one device with two
   * intra-op threads; one tower and two towers on virtual CPU devices with one thread each; and, given a
   * cluster session, its worker towers (started with one thread each for a like-for-like comparison).
   */
  public static Report parallel(Settings s, SessionSpec cluster) {
    ModelSpec spec = s.prompted();
    DatasetSplits data = syntheticData(spec.input(), spec.classes(), Math.max(4 * s.batchSize(), 512), s.seed());
    Augmentation augmentation = Augmentation.choose("auto", "", spec.input().channels());
    OptimizerConfig adam = OptimizerConfig.of(OptimizerKind.ADAM, 1e-4);
    int[] rows = new int[s.batchSize()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = i;
    }
    Map<String, SessionSpec> sessions = new LinkedHashMap<>();
    Map<String, Integer> threads = new LinkedHashMap<>();
    sessions.put("one_device_2_threads", SessionSpec.LOCAL);
    threads.put("one_device_2_threads", 2);
    sessions.put("1_tower_1_thread", SessionSpec.local(DeviceLayout.towers(List.of(DeviceLayout.Device.cpu(0)), false)));
    threads.put("1_tower_1_thread", 1);
    sessions.put("2_towers_1_thread_each", SessionSpec.local(
        DeviceLayout.towers(List.of(DeviceLayout.Device.cpu(0), DeviceLayout.Device.cpu(1)), false)));
    threads.put("2_towers_1_thread_each", 1);
    sessions.put("2_towers_sync_bn_1_thread_each", SessionSpec.local(
        DeviceLayout.towers(List.of(DeviceLayout.Device.cpu(0), DeviceLayout.Device.cpu(1)), true)));
    threads.put("2_towers_sync_bn_1_thread_each", 1);
    if (cluster != null) {
      sessions.put(cluster.layout().towers().size() + "_loopback_workers", cluster);
      threads.put(cluster.layout().towers().size() + "_loopback_workers", 1);
    }
    List<TrainingGraph> graphs = new ArrayList<>();
    try {
      Map<String, IntConsumer> configs = new LinkedHashMap<>();
      for (var entry : sessions.entrySet()) {
        TrainingGraph graph = new TrainingGraph(spec, data, augmentation, adam, s.seed(), threads.get(entry.getKey()),
            n -> false, TrainingGraph.Feed.RESIDENT, entry.getValue());
        graphs.add(graph);
        configs.put(entry.getKey(), step -> graph.step(rows, 1e-4f, step, s.seed()));
      }
      Map<String, double[]> rounds = timeRounds(s, configs);
      List<Measurement> measurements = new ArrayList<>();
      rounds.forEach((name, values) -> measurements.add(new Measurement(name, median(values), values, Double.NaN)));
      Map<String, Double> ratios = new LinkedHashMap<>();
      double reference = median(rounds.get("one_device_2_threads"));
      rounds.forEach((name, values) -> {
        if (!name.equals("one_device_2_threads")) {
          ratios.put(name + "_over_one_device_2_threads", median(values) / reference);
        }
      });
      return new Report(measurements, ratios, Double.NaN, Double.NaN);
    } finally {
      graphs.forEach(TrainingGraph::close);
    }
  }

  private static Map<String, double[]> timeRounds(Settings s, Map<String, IntConsumer> configs) {
    Map<String, double[]> rounds = new LinkedHashMap<>();
    configs.forEach((name, step) -> {
      for (int w = 0; w < s.warmupSteps(); w++) {
        step.accept(w);
      }
      rounds.put(name, new double[s.rounds()]);
    });
    for (int r = 0; r < s.rounds(); r++) {
      for (var entry : configs.entrySet()) {
        long start = System.nanoTime();
        for (int i = 0; i < s.steps(); i++) {
          entry.getValue().accept(s.warmupSteps() + r * s.steps() + i);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        rounds.get(entry.getKey())[r] = (double) s.steps() * s.batchSize() / seconds;
      }
    }
    return rounds;
  }

  private static Map<String, Double> ratios(Map<String, double[]> rounds) {
    Map<String, Double> ratios = new LinkedHashMap<>();
    ratio(ratios, rounds, "train_prompted_over_baseline", "train_pipeline_prompted", "train_pipeline_baseline");
    ratio(ratios, rounds, "train_pipeline_over_fixed_batch", "train_pipeline_prompted", "train_fixed_batch_prompted");
    ratio(ratios, rounds, "infer_prompted_over_baseline", "infer_prompted", "infer_baseline");
    return ratios;
  }

  /** The ratio of two configurations' medians, where both were timed. */
  private static void ratio(Map<String, Double> ratios, Map<String, double[]> rounds, String name, String over,
      String under) {
    if (rounds.containsKey(over) && rounds.containsKey(under)) {
      ratios.put(name, median(rounds.get(over)) / median(rounds.get(under)));
    }
  }

  /** The configurations that {@code --only} names, in their timing order. */
  public static List<String> selected(String only) {
    if (only.equals("all")) {
      return CONFIGURATIONS;
    }
    if (only.equals("train") || only.equals("infer")) {
      return CONFIGURATIONS.stream().filter(name -> name.startsWith(only)).toList();
    }
    List<String> names = Arrays.stream(only.split(",", -1)).map(String::strip).toList();
    for (String name : names) {
      if (!CONFIGURATIONS.contains(name)) {
        throw new IllegalArgumentException("--only must be all, train, infer or a comma-separated list of "
            + String.join(", ", CONFIGURATIONS) + "; got '" + name + "'");
      }
    }
    return CONFIGURATIONS.stream().filter(names::contains).toList();
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static DatasetSplits syntheticData(InputSpec input, int classes, int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] pixels = new byte[Math.toIntExact(count * input.pixels())];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) random.nextInt(256);
    }
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = i % classes;
    }
    List<String> names = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      names.add("class_" + c);
    }
    ImageSet set = new ImageSet(pixels, labels, input.height(), input.width(), input.channels(), names);
    return new DatasetSplits("synthetic", set, set);
  }

  private static float[] randomScaled(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed + 1);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextDouble();
    }
    return values;
  }
}

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

  /** One configuration's images per second, per round and their median. */
  public record Measurement(String name, double medianImagesPerSecond, double[] roundImagesPerSecond) {}

  /** All measurements and the ratios between them. */
  public record Report(List<Measurement> measurements, Map<String, Double> ratios) {}

  /** What to measure. */
  public record Settings(ModelSpec prompted, int batchSize, int steps, int warmupSteps, int rounds, int threads, long seed,
      java.util.function.Predicate<String> frozen) {

    /** Nothing frozen: every weight trains. */
    public Settings(ModelSpec prompted, int batchSize, int steps, int warmupSteps, int rounds, int threads, long seed) {
      this(prompted, batchSize, steps, warmupSteps, rounds, threads, seed, name -> false);
    }
  }

  private Benchmark() {}

  public static Report run(Settings s) {
    ModelSpec prompted = s.prompted();
    ModelSpec baseline = new ModelSpec(prompted.input(), prompted.classes(), prompted.backbone(), prompted.patchSize(),
        new NoPrompt(), prompted.mean(), prompted.std());
    DatasetSplits data = syntheticData(prompted.input(), prompted.classes(), Math.max(4 * s.batchSize(), 512), s.seed());
    Augmentation augmentation = Augmentation.choose("auto", "", prompted.input().channels());
    OptimizerConfig adam = OptimizerConfig.of(OptimizerKind.ADAM, 1e-4);
    int[] rows = new int[s.batchSize()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = i;
    }
    try (TrainingGraph pipelinePrompted = new TrainingGraph(prompted, data, augmentation, adam, s.seed(), s.threads(), s.frozen());
        TrainingGraph pipelineBaseline = new TrainingGraph(baseline, data, augmentation, adam, s.seed(), s.threads(), s.frozen());
        TrainingGraph fixedPrompted = new TrainingGraph(prompted, data, augmentation, adam, s.seed(), s.threads(), s.frozen(),
            TrainingGraph.Feed.FIXED_BATCH);
        TFloat32 fixedImages = Tensors.floats(Shape.of(s.batchSize(), prompted.input().height(), prompted.input().width(),
            prompted.input().channels()), randomScaled(s.batchSize() * (int) prompted.input().pixels(), s.seed()));
        TInt32 fixedLabels = Tensors.ints(Shape.of(s.batchSize()), Arrays.copyOf(data.train().labels(), s.batchSize()))) {
      Map<String, IntConsumer> configs = new LinkedHashMap<>();
      configs.put("train_pipeline_prompted", step -> pipelinePrompted.step(rows, 1e-4f, step, s.seed()));
      configs.put("train_pipeline_baseline", step -> pipelineBaseline.step(rows, 1e-4f, step, s.seed()));
      configs.put("train_fixed_batch_prompted", step -> fixedPrompted.step(fixedImages, fixedLabels, 1e-4f, step, s.seed()));
      configs.put("infer_prompted", step -> pipelinePrompted.test().logits(pipelinePrompted.session(), rows));
      configs.put("infer_baseline", step -> pipelineBaseline.test().logits(pipelineBaseline.session(), rows));

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
      List<Measurement> measurements = new ArrayList<>();
      rounds.forEach((name, values) -> measurements.add(new Measurement(name, median(values), values)));
      return new Report(measurements, ratios(rounds));
    }
  }

  private static Map<String, Double> ratios(Map<String, double[]> rounds) {
    Map<String, Double> ratios = new LinkedHashMap<>();
    ratios.put("train_prompted_over_baseline",
        median(rounds.get("train_pipeline_prompted")) / median(rounds.get("train_pipeline_baseline")));
    ratios.put("train_pipeline_over_fixed_batch",
        median(rounds.get("train_pipeline_prompted")) / median(rounds.get("train_fixed_batch_prompted")));
    ratios.put("infer_prompted_over_baseline",
        median(rounds.get("infer_prompted")) / median(rounds.get("infer_baseline")));
    return ratios;
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

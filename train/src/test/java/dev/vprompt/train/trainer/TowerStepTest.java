package dev.vprompt.train.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.placement.DeviceLayout;
import dev.vprompt.ops.placement.SessionSpec;
import dev.vprompt.core.data.DatasetSplits;
import dev.vprompt.core.data.ImageSet;
import dev.vprompt.core.data.LoadedData;
import dev.vprompt.train.optim.DecayPolicy;
import dev.vprompt.train.optim.OptimizerConfig;
import dev.vprompt.train.optim.OptimizerKind;
import dev.vprompt.train.pipeline.Augmentation;
import dev.vprompt.graph.prompts.PromptSettings;
import dev.vprompt.core.run.RunConfig;
import dev.vprompt.core.run.TrainingSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.GraphOperation;

/**
 * Two towers on virtual CPU devices against one device. The backbone is the reference cnn, frozen: its
 * batch-norm then normalises with its moving statistics, per example, so no batch statistics couple the
 * rows (per-tower batch statistics would, by design). Dropout and augmentation are on.
 */
class TowerStepTest {

  private static DatasetSplits data;

  @BeforeAll
  static void loadSlice() {
    DatasetSplits all = LoadedData.load(null).splits();
    data = new DatasetSplits(all.name(), rows(all.train(), 64), rows(all.test(), 16));
  }

  private static ImageSet rows(ImageSet set, int n) {
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = (int) ((long) i * set.count() / n);
    }
    return set.subset(rows);
  }

  private static TrainingGraph graph(DeviceLayout layout) {
    return graph(layout, Augmentation.DIGITS, n -> n.startsWith("backbone."));
  }

  private static TrainingGraph graph(DeviceLayout layout, Augmentation augmentation) {
    return graph(layout, augmentation, n -> n.startsWith("backbone."));
  }

  private static TrainingGraph graph(DeviceLayout layout, java.util.function.Predicate<String> frozen) {
    return graph(layout, Augmentation.DIGITS, frozen);
  }

  private static TrainingGraph graph(DeviceLayout layout, Augmentation augmentation,
      java.util.function.Predicate<String> frozen) {
    TrainingSettings t = new TrainingSettings(1, 16, 1e-3, 1e-4, "adam", "all", "cosine", 0, 7, 0.1, "auto", 1, 64);
    RunConfig config = new RunConfig("embedded", data.name(), "fashion-mnist", "28x28x1", data.classNames(),
        "cnn", null, PromptSettings.of("msvp"), new float[] {0.286f}, new float[] {0.353f}, t, Map.of());
    OptimizerConfig adam = OptimizerConfig.of(OptimizerKind.ADAM, 1e-4).withDecayPolicy(DecayPolicy.ALL);
    return new TrainingGraph(config.modelSpec(), data, augmentation, adam, 7, 1, frozen,
        TrainingGraph.Feed.RESIDENT, SessionSpec.local(layout));
  }

  private static TrainingGraph sharded(DeviceLayout layout, TrainingShards shards) {
    TrainingSettings t = new TrainingSettings(1, 16, 1e-3, 1e-4, "adam", "all", "cosine", 0, 7, 0.1, "auto", 1, 64);
    RunConfig config = new RunConfig("embedded", data.name(), "fashion-mnist", "28x28x1", data.classNames(),
        "cnn", null, PromptSettings.of("msvp"), new float[] {0.286f}, new float[] {0.353f}, t, Map.of());
    OptimizerConfig adam = OptimizerConfig.of(OptimizerKind.ADAM, 1e-4).withDecayPolicy(DecayPolicy.ALL);
    return new TrainingGraph(config.modelSpec(), data, Augmentation.DIGITS, adam, 7, 1, n -> n.startsWith("backbone."),
        SessionSpec.local(layout), shards);
  }

  /**
   * Sharded worker data: each tower holds only its shard and is fed positions in it; fed the first batch
   * of the sharded order, two towers give the gradients of one device (replicated) fed the same rows.
   */
  @Test
  void shardedTowersHoldOnlyTheirShardAndStepAsOneDeviceFedTheSameOrder() {
    RowOrder.TrainValidation split = RowOrder.trainValidation(data.train().count(), 0.1, 7);
    // 58 training rows in batches of 11: shards of 6 * 5 + 2 = 32 and 5 * 5 + 1 = 26
    int[][] rows = RowOrder.shards(split.train(), data.train().labels(), 11, 2, 7);
    assertEquals(32, rows[0].length);
    assertEquals(26, rows[1].length);
    TrainingShards shards = new TrainingShards(rows, split.validation(), data.train().count());
    int[] order = RowOrder.shardedEpochOrder(rows, 11, 7, 1);
    int[] batch = java.util.Arrays.copyOf(order, 11);
    DeviceLayout two = DeviceLayout.towers(List.of(DeviceLayout.Device.cpu(0), DeviceLayout.Device.cpu(1)), false);
    try (TrainingGraph one = graph(DeviceLayout.SINGLE); TrainingGraph towers = sharded(two, shards)) {
      Map<String, TrainingGraph.ResidentVariable> resident = new java.util.HashMap<>();
      towers.residentVariables().forEach(v -> resident.put(v.name(), v));
      assertEquals(java.util.Set.of("data.train_shard0.pixels", "data.train_shard0.labels", "data.train_shard1.pixels",
          "data.train_shard1.labels", "data.val.pixels", "data.val.labels", "data.test.pixels", "data.test.labels"),
          resident.keySet(), "no copy of the whole split");
      assertEquals(32, resident.get("data.train_shard0.pixels").rows());
      assertEquals(26, resident.get("data.train_shard1.pixels").rows());
      assertEquals(32 * 28 * 28, resident.get("data.train_shard0.pixels").bytes());
      assertEquals("/device:CPU:1", resident.get("data.train_shard1.pixels").device());
      assertEquals(split.validation().length, resident.get("data.val.pixels").rows());

      float[][] expected = one.gradients(batch, 5, 7);
      double worst = largestDifference(expected, towers.gradients(batch, 5, 7));
      assertTrue(worst <= 1e-5, "largest difference " + worst);
      double largest = java.util.Arrays.stream(expected).flatMapToDouble(g -> {
        double[] d = new double[g.length];
        for (int i = 0; i < g.length; i++) {
          d[i] = Math.abs(g[i]);
        }
        return java.util.Arrays.stream(d);
      }).max().orElse(0);
      assertTrue(largest > 1e-3, "gradients are not all zero: " + largest);
      for (int step = 0; step < 2; step++) {
        int[] rowsOfStep = java.util.Arrays.copyOfRange(order, step * 11, step * 11 + 11);
        TrainingGraph.StepResult a = one.step(rowsOfStep, 1e-3f, step, 7);
        TrainingGraph.StepResult b = towers.step(rowsOfStep, 1e-3f, step, 7);
        assertEquals(a.loss(), b.loss(), 1e-5, "step " + step);
        assertEquals(a.correct(), b.correct());
      }
      assertEquals(one.validate(split.validation(), 64).loss(), towers.validate(split.validation(), 64).loss(), 1e-5);

      // tower 0's share taken from shard 1: refused before TensorFlow
      int[] swapped = batch.clone();
      swapped[0] = rows[1][0];
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> towers.gradients(swapped, 5, 7));
      assertTrue(e.getMessage().contains("in shard 1"), e.getMessage());
    }
  }

  /**
   * Sharded towers under mixup / cutmix mix each row with their own rows reversed (the mirrored partner
   * of the global batch is on another tower's shard): the step builds, runs and mixes.
   */
  @Test
  void shardedTowersMixWithinTheirOwnShare() {
    RowOrder.TrainValidation split = RowOrder.trainValidation(data.train().count(), 0.1, 7);
    int[][] rows = RowOrder.shards(split.train(), data.train().labels(), 11, 2, 7);
    int[] batch = java.util.Arrays.copyOf(RowOrder.shardedEpochOrder(rows, 11, 7, 1), 11);
    Augmentation mixing = Augmentation.choose("digits+mix", "fashion-mnist", 1);
    DeviceLayout two = DeviceLayout.towers(List.of(DeviceLayout.Device.cpu(0), DeviceLayout.Device.cpu(1)), false);
    TrainingSettings t = new TrainingSettings(1, 16, 1e-3, 1e-4, "adam", "all", "cosine", 0, 7, 0.1, "auto", 1, 64);
    RunConfig config = new RunConfig("embedded", data.name(), "fashion-mnist", "28x28x1", data.classNames(),
        "cnn", null, PromptSettings.of("msvp"), new float[] {0.286f}, new float[] {0.353f}, t, Map.of());
    OptimizerConfig adam = OptimizerConfig.of(OptimizerKind.ADAM, 1e-4).withDecayPolicy(DecayPolicy.ALL);
    try (TrainingGraph mixed = new TrainingGraph(config.modelSpec(), data, mixing, adam, 7, 1,
            n -> n.startsWith("backbone."), SessionSpec.local(two),
            new TrainingShards(rows, split.validation(), data.train().count()));
        TrainingGraph plain = graph(DeviceLayout.SINGLE)) {
      int mixedSteps = 0;
      for (int step = 0; step < 6; step++) {
        float[][] a = mixed.gradients(batch, step, 7);
        for (float[] g : a) {
          for (float v : g) {
            assertTrue(Float.isFinite(v), "step " + step);
          }
        }
        mixedSteps += largestDifference(plain.gradients(batch, step, 7), a) > 1e-3 ? 1 : 0;
      }
      assertTrue(mixedSteps > 0, "no step of six was mixed (prob 0.5 each)");
      assertTrue(Float.isFinite(mixed.step(batch, 1e-3f, 0, 7).loss()));
    }
  }

  private static double largestDifference(float[][] expected, float[][] actual) {
    assertEquals(expected.length, actual.length);
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i].length, actual[i].length);
      for (int j = 0; j < expected[i].length; j++) {
        worst = Math.max(worst, Math.abs(expected[i][j] - actual[i][j]));
      }
    }
    return worst;
  }

  /**
   * The cnn trained whole, so that its batch-norm normalises with batch statistics: with --sync-bn two
   * towers are one device on the full batch; with per-tower statistics (the default) they are not.
   */
  @Test
  void synchronisedBatchNormMakesTwoTowersOneDeviceOnABackboneWithBatchNorm() {
    int[] batch = {3, 17, 40, 8, 63, 22, 5, 31, 50, 12, 9};
    List<DeviceLayout.Device> cpus = List.of(DeviceLayout.Device.cpu(0), DeviceLayout.Device.cpu(1));
    try (TrainingGraph one = graph(DeviceLayout.SINGLE, n -> false);
        TrainingGraph synced = graph(DeviceLayout.towers(cpus, true), n -> false);
        TrainingGraph perTower = graph(DeviceLayout.towers(cpus, false), n -> false)) {
      assertTrue(one.params().all().stream().anyMatch(p -> p.name().endsWith(".moving_mean")), "the cnn has batch-norm");
      float[][] expected = one.gradients(batch, 5, 7);
      double synchronisedDifference = largestDifference(expected, synced.gradients(batch, 5, 7));
      double perTowerDifference = largestDifference(expected, perTower.gradients(batch, 5, 7));
      // Not 1e-5 as for the towers without batch-norm: measured 1.0e-7 when this test runs alone, 2.4e-5
      // after OptimizerBehaviourTest in the same JVM (deterministically). Likely cause: TensorFlow's intra-op
      // pool is process-wide, sized by the first session, so the reductions' float32 order differs, and
      // batch-norm's backward pass over 11 rows amplifies it. Per-tower statistics differ by 0.034.
      assertTrue(synchronisedDifference <= 1e-4, "synchronised: largest difference " + synchronisedDifference
          + " (per-tower statistics: " + perTowerDifference + ")");
      assertTrue(perTowerDifference > 1e-3, "per-tower statistics differ: largest difference " + perTowerDifference);

      for (int step = 0; step < 2; step++) {
        TrainingGraph.StepResult a = one.step(batch, 1e-3f, step, 7);
        TrainingGraph.StepResult b = synced.step(batch, 1e-3f, step, 7);
        assertEquals(a.loss(), b.loss(), 1e-5, "step " + step);
        assertEquals(a.correct(), b.correct());
      }
    }
  }

  @Test
  void twoTowersSumToTheFullBatchGradientAndStepAsOneDevice() {
    // 11 rows: shares of 6 and 5; dropout and augmentation on, drawn for the global batch
    int[] batch = {3, 17, 40, 8, 63, 22, 5, 31, 50, 12, 9};
    DeviceLayout two = DeviceLayout.towers(List.of(DeviceLayout.Device.cpu(0), DeviceLayout.Device.cpu(1)), false);
    try (TrainingGraph one = graph(DeviceLayout.SINGLE); TrainingGraph towers = graph(two)) {
      assertTrue(one.params().all().stream().filter(p -> p.name().startsWith("backbone.")).noneMatch(Parameter::trainable));
      float[][] expected = one.gradients(batch, 5, 7);
      float[][] actual = towers.gradients(batch, 5, 7);
      assertEquals(expected.length, actual.length);
      double worst = 0;
      double largest = 0;
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i].length, actual[i].length);
        for (int j = 0; j < expected[i].length; j++) {
          worst = Math.max(worst, Math.abs(expected[i][j] - actual[i][j]));
          largest = Math.max(largest, Math.abs(expected[i][j]));
        }
      }
      assertTrue(largest > 1e-3, "gradients are not all zero: " + largest);
      assertTrue(worst <= 1e-5, "largest difference " + worst);

      for (int step = 0; step < 2; step++) {
        TrainingGraph.StepResult a = one.step(batch, 1e-3f, step, 7);
        TrainingGraph.StepResult b = towers.step(batch, 1e-3f, step, 7);
        assertEquals(a.loss(), b.loss(), 1e-5, "step " + step);
        assertEquals(a.correct(), b.correct());
      }

      // tower 1's backward pass runs on tower 1's device, not on the placer's first device
      long onTowerOne = 0;
      var ops = towers.graph().operations();
      while (ops.hasNext()) {
        GraphOperation op = ops.next();
        if (op.name().startsWith("train/tower1_placed/")) {
          assertEquals("/device:CPU:1", op.device(), op.name());
          onTowerOne++;
        }
      }
      assertTrue(onTowerOne > 20, "tower 1's gradient ops: " + onTowerOne);
    }
  }

  @Test
  void towersMixEachRowWithTheSamePartnerAsOneDevice() {
    // under mixup / cutmix row i meets row B - 1 - i, held by the other tower for most rows
    int[] batch = {3, 17, 40, 8, 63, 22, 5, 31, 50, 12, 9};
    Augmentation mixing = Augmentation.choose("digits+mix", "fashion-mnist", 1);
    DeviceLayout two = DeviceLayout.towers(List.of(DeviceLayout.Device.cpu(0), DeviceLayout.Device.cpu(1)), false);
    try (TrainingGraph one = graph(DeviceLayout.SINGLE, mixing); TrainingGraph towers = graph(two, mixing);
        TrainingGraph unmixed = graph(DeviceLayout.SINGLE)) {
      int mixedSteps = 0;
      for (int step = 0; step < 6; step++) {
        float[][] expected = one.gradients(batch, step, 7);
        float[][] actual = towers.gradients(batch, step, 7);
        float[][] plain = unmixed.gradients(batch, step, 7);
        double worst = 0;
        double fromPlain = 0;
        for (int i = 0; i < expected.length; i++) {
          for (int j = 0; j < expected[i].length; j++) {
            worst = Math.max(worst, Math.abs(expected[i][j] - actual[i][j]));
            fromPlain = Math.max(fromPlain, Math.abs(expected[i][j] - plain[i][j]));
          }
        }
        assertTrue(worst <= 1e-5, "step " + step + ": largest difference " + worst);
        // label smoothing alone changes the gradient; a mixed batch changes it by far more
        assertTrue(fromPlain > 0, "step " + step + " equals the unmixed gradient");
        mixedSteps += fromPlain > 1e-3 ? 1 : 0;
      }
      assertTrue(mixedSteps > 0, "no step of six was mixed (prob 0.5 each)");
    }
  }
}

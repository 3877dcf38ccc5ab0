package dev.vprompt.train.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.core.data.DatasetSplits;
import dev.vprompt.core.data.ImageSet;
import dev.vprompt.core.data.LoadedData;
import dev.vprompt.core.eval.EvalResult;
import dev.vprompt.core.eval.InferenceModel;
import dev.vprompt.train.optim.DecayPolicy;
import dev.vprompt.train.optim.OptimizerConfig;
import dev.vprompt.train.optim.OptimizerKind;
import dev.vprompt.train.pipeline.Augmentation;
import dev.vprompt.core.run.EpochMetrics;
import dev.vprompt.graph.prompts.PromptSettings;
import dev.vprompt.core.run.RunConfig;
import dev.vprompt.core.run.RunDirectory;
import dev.vprompt.core.run.Summary;
import dev.vprompt.core.run.TrainingSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end on a slice of the embedded Fashion-MNIST subset, with the real graph on CPU. */
class TrainerTest {

  private static DatasetSplits data;

  @TempDir Path temp;

  @BeforeAll
  static void loadSlice() {
    DatasetSplits all = LoadedData.load(null).splits();
    data = new DatasetSplits(all.name(), firstRows(all.train(), 600), firstRows(all.test(), 200));
  }

  private static ImageSet firstRows(ImageSet set, int n) {
    // the subset is stored class by class: take every k-th image to keep all classes
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = (int) ((long) i * set.count() / n);
    }
    return set.subset(rows);
  }

  private static RunConfig config(int epochs, double lr, String prompt) {
    TrainingSettings t = new TrainingSettings(epochs, 64, lr, 1e-4, "adam", "all", "cosine", 0, 42, 0.1, "auto", 2, 500);
    return new RunConfig("embedded", data.name(), "fashion-mnist", "28x28x1", data.classNames(), "cnn", null,
        PromptSettings.of(prompt), new float[] {0.286f}, new float[] {0.353f}, t, Map.of());
  }

  private static Summary train(RunConfig config, RunDirectory run, boolean resume, ProgressListener listener) {
    OptimizerConfig optimizer = OptimizerConfig.of(OptimizerKind.ADAM, config.training().weightDecay()).withDecayPolicy(DecayPolicy.ALL);
    try (TrainingGraph graph = new TrainingGraph(config.modelSpec(), data, Augmentation.DIGITS, optimizer,
        config.training().seed(), config.training().threads(), name -> false)) {
      return new Trainer(config, data, run, graph, listener).train(resume);
    }
  }

  private static RunDirectory newRun(Path dir, RunConfig config) {
    RunDirectory run = RunDirectory.fresh(dir);
    run.create();
    run.writeConfig(config);
    return run;
  }

  @Test
  void trainingLowersTheLossAndWritesTheRunDirectory() throws Exception {
    RunConfig config = config(3, 2e-3, "msvp");
    RunDirectory run = newRun(temp.resolve("run"), config);
    Summary summary = train(config, run, false, ProgressListener.SILENT);

    List<EpochMetrics> metrics = run.readMetrics();
    assertEquals(3, metrics.size());
    assertTrue(metrics.get(2).trainLoss() < metrics.get(0).trainLoss(), metrics.toString());
    assertTrue(summary.testAccBest() > 0.3, "well above chance (0.1) after 3 epochs: " + summary.testAccBest());
    assertEquals(81, summary.paramsPrompt());
    assertTrue(Files.isRegularFile(run.checkpoint("best").resolve("model.index")));
    assertTrue(Files.isRegularFile(run.checkpoint("last").resolve("model.index")));
    assertEquals(summary, run.readSummary());
    assertEquals(metrics.get(summary.bestEpoch() - 1).valAcc(), summary.bestValAcc(), 0);

    try (InferenceModel last = new InferenceModel(config, data.test(), run.checkpoint("last"), 2)) {
      EvalResult result = last.evaluate(100);
      assertEquals(summary.testAccLast(), result.accuracy(), 0, "the restored checkpoint gives the same accuracy");
      long total = Arrays.stream(result.confusion()).flatMapToLong(Arrays::stream).sum();
      assertEquals(200, total);
    }
  }

  /** A crash in epoch 2 (after checkpoints/last of epoch 1), then --resume: bit-identical weights. */
  @Test
  void aResumedRunEndsWithTheWeightsOfAnUninterruptedOne() throws Exception {
    RunConfig config = config(2, 1e-3, "msvp");
    RunDirectory straight = newRun(temp.resolve("straight"), config);
    train(config, straight, false, ProgressListener.SILENT);

    RunDirectory crashed = newRun(temp.resolve("crashed"), config);
    ProgressListener crashInEpochTwo = new ProgressListener() {
      int epoch;

      @Override
      public void epochStarted(int e, int epochs, int steps) {
        epoch = e;
      }

      @Override
      public void stepDone(int step, double loss, double acc, double speed) {
        if (epoch == 2 && step == 3) {
          throw new IllegalStateException("simulated crash");
        }
      }
    };
    assertThrows(IllegalStateException.class, () -> train(config, crashed, false, crashInEpochTwo));
    assertEquals(1, crashed.readMetrics().size());
    Summary resumed = train(config, crashed, true, ProgressListener.SILENT);

    byte[] expected = Files.readAllBytes(straight.checkpoint("last").resolve("model.data-00000-of-00001"));
    byte[] actual = Files.readAllBytes(crashed.checkpoint("last").resolve("model.data-00000-of-00001"));
    assertArrayEquals(expected, actual, "weights, optimizer state and step counter are bit-identical");
    assertEquals(straight.readSummary().testAccLast(), resumed.testAccLast(), 0);
    assertEquals(2, crashed.readMetrics().size());
  }

  @Test
  void aNanLossStopsTheRunAndKeepsTheLastGoodCheckpoint() throws Exception {
    RunConfig good = config(1, 1e-3, "none");
    RunDirectory run = newRun(temp.resolve("nan"), good);
    train(good, run, false, ProgressListener.SILENT);
    byte[] before = Files.readAllBytes(run.checkpoint("last").resolve("model.data-00000-of-00001"));
    byte[] summaryBefore = Files.readAllBytes(run.summary());

    RunConfig exploding = config(2, 1e30, "none");
    run.writeConfig(exploding);
    var e = assertThrows(TrainingDivergedException.class, () -> train(exploding, run, true, ProgressListener.SILENT));
    assertTrue(e.getMessage().contains("epoch 2"), e.getMessage());
    byte[] after = Files.readAllBytes(run.checkpoint("last").resolve("model.data-00000-of-00001"));
    assertArrayEquals(before, after);
    assertArrayEquals(summaryBefore, Files.readAllBytes(run.summary()), "no summary of the diverged run");
    assertEquals(1, run.readMetrics().size(), "the diverged epoch is not recorded");
  }
}

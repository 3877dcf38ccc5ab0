package dev.vprompt.train.prompts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.core.data.DatasetSplits;
import dev.vprompt.core.data.ImageSet;
import dev.vprompt.core.data.LoadedData;
import dev.vprompt.core.eval.InferenceModel;
import dev.vprompt.train.optim.OptimizerConfig;
import dev.vprompt.train.optim.OptimizerKind;
import dev.vprompt.train.pipeline.Augmentation;
import dev.vprompt.graph.prompts.PromptSettings;
import dev.vprompt.core.run.RunConfig;
import dev.vprompt.core.run.RunDirectory;
import dev.vprompt.core.run.Summary;
import dev.vprompt.core.run.TrainingSettings;
import dev.vprompt.train.trainer.ProgressListener;
import dev.vprompt.train.trainer.Trainer;
import dev.vprompt.train.trainer.TrainingGraph;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * lotep-cp through the real trainer with a frozen backbone (LoTeP's protocol): the run trains only the
 * prompt and the head, and its checkpoint restores into the inference graph with the same accuracy.
 */
class DeepPromptTrainerSmokeTest {

  @TempDir Path temp;

  private static ImageSet every(ImageSet set, int n) {
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = (int) ((long) i * set.count() / n);
    }
    return set.subset(rows);
  }

  @Test
  void aFrozenBackboneTrainsPromptAndHeadAndRestores() throws Exception {
    DatasetSplits all = LoadedData.load(null).splits();
    DatasetSplits data = new DatasetSplits(all.name(), every(all.train(), 320), every(all.test(), 100));
    TrainingSettings t = new TrainingSettings(1, 64, 1e-2, 0, "adam", "all", "cosine", 0, 42, 0.1, "auto", 2, 500);
    RunConfig config = new RunConfig("embedded", data.name(), "fashion-mnist", "28x28x1", data.classNames(), "cnn",
        null, PromptSettings.of("lotep-cp"), new float[] {0.286f}, new float[] {0.353f}, t, Map.of());
    RunDirectory run = RunDirectory.fresh(temp.resolve("run"));
    run.create();
    run.writeConfig(config);
    Summary summary;
    try (TrainingGraph graph = new TrainingGraph(config.modelSpec(), data, Augmentation.DIGITS,
        OptimizerConfig.of(OptimizerKind.ADAM, 0), 42, 2, name -> name.startsWith("backbone."))) {
      summary = new Trainer(config, data, run, graph, ProgressListener.SILENT).train(false);
    }
    // cnn at 28x28x1, rho = 0.5: blocks 0 [1, 28, 28] and 1 [32, 14, 14], ranks 6 and 1
    assertEquals(6 * (1 + 28 + 28) + (32 + 14 + 14), summary.paramsPrompt());
    assertEquals(summary.paramsPrompt() + 128 * 10 + 10, summary.paramsTrainable(), "prompt + head only");
    assertTrue(Double.isFinite(run.readMetrics().get(0).trainLoss()));
    try (InferenceModel last = new InferenceModel(config, data.test(), run.checkpoint("last"), 2)) {
      assertEquals(summary.testAccLast(), last.evaluate(50).accuracy(), 0);
    }
  }
}

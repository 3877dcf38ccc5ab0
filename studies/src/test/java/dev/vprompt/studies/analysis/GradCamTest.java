package dev.vprompt.studies.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.Classifier;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.core.checkpoint.CheckpointIo;
import dev.vprompt.core.data.DatasetLoader;
import dev.vprompt.core.data.ImageSet;
import dev.vprompt.core.eval.InferenceModel;
import dev.vprompt.graph.prompts.PromptSettings;
import dev.vprompt.core.run.RunConfig;
import dev.vprompt.core.run.TrainingSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TUint8;

/** Grad-CAM and prompt maps read from checkpoints of freshly initialised models. */
class GradCamTest {

  @TempDir Path temp;

  private static RunConfig config(String backbone, String prompt) {
    TrainingSettings t = new TrainingSettings(1, 64, 1e-3, 1e-4, "adam", "all", "cosine", 0, 42, 0.1, "auto", 1, 500);
    return new RunConfig("embedded", "fashion-mnist-small", "fashion-mnist", "28x28x1", DatasetLoader.embeddedDefault()
        .classNames(), backbone, null, PromptSettings.of(prompt), new float[] {0.286f}, new float[] {0.353f}, t, Map.of());
  }

  /** Saves the model's initial weights as a checkpoint, as training would after an epoch. */
  private Path checkpoint(RunConfig config, String name) throws Exception {
    Path dir = temp.resolve(name);
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore params = new ParameterStore(tf, 42);
      Placeholder<TUint8> pixels = tf.placeholder(TUint8.class, Placeholder.shape(Classifier.batchShape(config.inputSpec())));
      Classifier.fromPixels(BuildContext.root(tf, params, Mode.INFER), config.modelSpec(), pixels);
      Map<String, Variable<?>> variables = new LinkedHashMap<>();
      for (Parameter p : params.all()) {
        variables.put(p.name(), p.variable());
      }
      CheckpointIo io = new CheckpointIo(tf, variables);
      try (Session session = new Session(graph)) {
        session.initialize();
        io.save(session, dir.resolve(InferenceModel.MODEL_PREFIX));
      }
    }
    return dir;
  }

  @Test
  void everyBackboneFamilyGivesAHeatMapOnItsGrid() throws Exception {
    ImageSet test = DatasetLoader.embeddedDefault().test();
    int[] rows = EvalFigures.samples(test, 3);
    assertEquals(3, rows.length);
    assertEquals(List.of(0, 1, 2), List.of(test.label(rows[0]), test.label(rows[1]), test.label(rows[2])));
    // the ViT's patch tokens after its last block never reach the class token: a wrong layer gives all zeros
    for (String backbone : List.of("cnn", "vit-tiny")) {
      RunConfig config = config(backbone, "msvp");
      try (GradCam cam = new GradCam(config, checkpoint(config, backbone), 1)) {
        List<GradCam.Explanation> explanations = cam.explain(test, rows);
        assertEquals(3, explanations.size());
        for (GradCam.Explanation e : explanations) {
          assertEquals(28 * 28, e.heat().length);
          float max = 0;
          for (float v : e.heat()) {
            assertTrue(v >= 0 && v <= 1, backbone + ": " + v);
            max = Math.max(max, v);
          }
          assertEquals(1f, max, 1e-6, backbone + ": the map is scaled to its maximum, so it is not all zero");
          assertTrue(e.confidence() > 0 && e.confidence() <= 1);
          int side = backbone.equals("cnn") ? 3 : 4;
          assertEquals(side, e.gridHeight(), backbone);
          assertEquals(side, e.gridWidth(), backbone);
        }
      }
    }
  }

  @Test
  void promptMapsAreReadFromTheCheckpoint() throws Exception {
    RunConfig config = config("cnn", "msvp");
    PromptMaps maps = PromptMaps.read(config, checkpoint(config, "maps"));
    assertEquals(List.of("global", "mid", "local"), maps.scales().stream().map(PromptMaps.Scale::name).toList());
    assertEquals(64, maps.scales().get(2).values().length);
    assertEquals(28 * 28, maps.scales().get(2).upsampled().length);
    // the additive field is the mean of the three upsampled maps
    for (int i = 0; i < 28 * 28; i += 97) {
      float mean = (maps.scales().get(0).upsampled()[i] + maps.scales().get(1).upsampled()[i]
          + maps.scales().get(2).upsampled()[i]) / 3;
      assertEquals(mean, maps.field()[i], 1e-6);
    }
    // initialised N(0, 0.01): small, not zero
    float sum = 0;
    for (float v : maps.scales().get(2).values()) {
      sum += Math.abs(v);
    }
    assertTrue(sum / 64 > 0.002 && sum / 64 < 0.05, "mean |value| " + sum / 64);
    assertTrue(!PromptMaps.present(config("cnn", "none")));
  }
}

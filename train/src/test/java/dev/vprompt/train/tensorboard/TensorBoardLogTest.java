package dev.vprompt.train.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.core.data.DatasetSplits;
import dev.vprompt.core.data.ImageSet;
import dev.vprompt.core.data.LoadedData;
import dev.vprompt.train.optim.DecayPolicy;
import dev.vprompt.train.optim.OptimizerConfig;
import dev.vprompt.train.optim.OptimizerKind;
import dev.vprompt.train.pipeline.Augmentation;
import dev.vprompt.core.run.EpochMetrics;
import dev.vprompt.graph.prompts.PromptSettings;
import dev.vprompt.core.run.RunConfig;
import dev.vprompt.core.run.RunDirectory;
import dev.vprompt.core.run.TrainingSettings;
import dev.vprompt.train.trainer.ProgressListener;
import dev.vprompt.train.trainer.Trainer;
import dev.vprompt.train.trainer.TrainingGraph;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.HistogramProto;
import org.tensorflow.proto.Summary;

/**
 * A run that dies between an epoch's checkpoint and its summaries, then resumes: the event files, read
 * back with TensorFlow's record reader, hold every epoch exactly once with metrics.jsonl's values.
 */
class TensorBoardLogTest {

  private static final int EPOCHS = 3;

  @TempDir Path temp;

  @Test
  void aResumedRunLogsEveryEpochOnceWithTheValuesOfMetricsJsonl() throws Exception {
    DatasetSplits all = LoadedData.load(null).splits();
    DatasetSplits data = new DatasetSplits(all.name(), everyKth(all.train(), 300), everyKth(all.test(), 100));
    TrainingSettings t = new TrainingSettings(EPOCHS, 64, 2e-3, 1e-4, "adam", "all", "cosine", 0, 7, 0.1, "auto", 2, 500);
    RunConfig config = new RunConfig("embedded", data.name(), "fashion-mnist", "28x28x1", data.classNames(), "cnn",
        null, PromptSettings.of("msvp"), new float[] {0.286f}, new float[] {0.353f}, t, Map.of());
    RunDirectory run = RunDirectory.fresh(temp.resolve("run"));
    run.create();
    run.writeConfig(config);
    Path logdir = run.root().resolve("tensorboard");

    ProgressListener diesAfterCheckpointTwo = new ProgressListener() {
      @Override
      public void epochDone(EpochMetrics metrics, boolean best) {
        if (metrics.epoch() == 2) {
          throw new IllegalStateException("simulated death before the summaries of epoch 2");
        }
      }
    };
    assertThrows(IllegalStateException.class, () -> train(config, data, run, logdir, false, diesAfterCheckpointTwo));
    assertEquals(1, EventFiles.lastSummaryStep(logdir), "epoch 2's checkpoint is saved, its summaries are not");
    train(config, data, run, logdir, true, ProgressListener.SILENT);

    List<Event> events = EventFiles.read(logdir);
    assertEquals(2, EventFiles.list(logdir).size(), "one event file per process");
    assertTrue(events.get(0).getFileVersion().startsWith("brain.Event:"), events.get(0).toString());
    Map<String, Map<Long, Summary.Value>> byTag = byTagAndStep(events);

    List<EpochMetrics> metrics = run.readMetrics();
    assertEquals(EPOCHS, metrics.size());
    for (Map.Entry<String, String> field : TensorBoardLog.SCALAR_TAGS.entrySet()) {
      Map<Long, Summary.Value> steps = byTag.get(field.getValue());
      assertEquals(List.of(1L, 2L, 3L), List.copyOf(steps.keySet()), field.getValue());
      for (EpochMetrics m : metrics) {
        double expected = TensorBoardLog.values(m).get(field.getKey());
        assertEquals((float) expected, steps.get((long) m.epoch()).getSimpleValue(), 0, field.getValue());
      }
    }

    Map<String, Integer> prompts = Map.of("msvp.global", 1, "msvp.mid", 4, "msvp.local", 8); // [1,S,S,1]
    for (Map.Entry<String, Integer> prompt : prompts.entrySet()) {
      String name = prompt.getKey();
      int side = prompt.getValue();
      Map<Long, Summary.Value> histograms = byTag.get("prompt/" + name);
      Map<Long, Summary.Value> rms = byTag.get("prompt_rms/" + name);
      assertEquals(List.of(1L, 2L, 3L), List.copyOf(histograms.keySet()), name);
      assertEquals(List.of(1L, 2L, 3L), List.copyOf(rms.keySet()), name);
      for (long step = 1; step <= EPOCHS; step++) {
        HistogramProto h = histograms.get(step).getHisto();
        assertEquals(side * side, h.getNum(), name + " " + h);
        // two summaries of the same tensor: the RMS op and the histogram's sum of squares
        assertEquals(Math.sqrt(h.getSumSquares() / h.getNum()), rms.get(step).getSimpleValue(), 1e-4, name);
      }
      assertTrue(rms.get(3L).getSimpleValue() != rms.get(1L).getSimpleValue(), "the prompt trains: " + name);
      Map<Long, Summary.Value> images = byTag.get("prompt_map/" + name + "/image/0"); // TensorFlow appends /image/i
      assertEquals(List.of(2L, 3L), List.copyOf(images.keySet()), "every 2 epochs and at the last: " + name);
      Summary.Image image = images.get(3L).getImage();
      BufferedImage png = ImageIO.read(new ByteArrayInputStream(image.getEncodedImageString().toByteArray()));
      assertEquals(image.getHeight(), png.getHeight());
      int factor = (112 + side - 1) / side;
      assertEquals(side * factor, png.getHeight(), name);
      assertEquals(side * factor, png.getWidth(), name);
    }
    assertFalse(byTag.keySet().stream().anyMatch(tag -> tag.startsWith("prompt/backbone")), byTag.keySet().toString());
  }

  private static void train(RunConfig config, DatasetSplits data, RunDirectory run, Path logdir, boolean resume,
      ProgressListener before) {
    OptimizerConfig optimizer = OptimizerConfig.of(OptimizerKind.ADAM, 1e-4).withDecayPolicy(DecayPolicy.ALL);
    try (TrainingGraph graph = new TrainingGraph(config.modelSpec(), data, Augmentation.DIGITS, optimizer,
            config.training().seed(), 2, name -> false);
        TensorBoardLog log = new TensorBoardLog(graph, run, logdir, EPOCHS, 2)) {
      new Trainer(config, data, run, graph, ProgressListener.both(before, log)).train(resume);
    }
  }

  /** Tag -> step -> value; a step logged twice for one tag fails. */
  private static Map<String, Map<Long, Summary.Value>> byTagAndStep(List<Event> events) {
    Map<String, Map<Long, Summary.Value>> byTag = new TreeMap<>();
    for (Event e : events) {
      for (Summary.Value v : e.getSummary().getValueList()) {
        Summary.Value previous = byTag.computeIfAbsent(v.getTag(), tag -> new TreeMap<>()).put(e.getStep(), v);
        assertEquals(null, previous, "step " + e.getStep() + " of " + v.getTag() + " written twice");
      }
    }
    return byTag.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue,
        (a, b) -> a, TreeMap::new));
  }

  private static ImageSet everyKth(ImageSet set, int n) {
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = (int) ((long) i * set.count() / n);
    }
    return set.subset(rows);
  }
}

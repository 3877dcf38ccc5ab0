package dev.vprompt.train.trainer;

import dev.vprompt.graph.ParameterCounts;
import dev.vprompt.core.checkpoint.CheckpointDirectory;
import dev.vprompt.core.data.DatasetSplits;
import dev.vprompt.core.eval.EvalResult;
import dev.vprompt.train.optim.LearningRateSchedule;
import dev.vprompt.core.run.EpochMetrics;
import dev.vprompt.core.run.Json;
import dev.vprompt.core.run.RunConfig;
import dev.vprompt.core.run.RunDirectory;
import dev.vprompt.core.run.Summary;
import dev.vprompt.core.run.TrainingSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The training loop: epochs of seeded shuffled batches through {@link TrainingGraph}, validation after
 * each epoch, {@code checkpoints/last} every epoch and {@code checkpoints/best} on a new best validation
 * accuracy (both atomic), then the test accuracy of both. A run resumes from {@code checkpoints/last}
 * and, the shuffles and augmentations being functions of (seed, epoch, step), replays exactly.
 */
public final class Trainer {

  static final String MODEL_PREFIX = dev.vprompt.core.eval.InferenceModel.MODEL_PREFIX;
  static final String STATE_FILE = "state.json";

  private final RunConfig config;
  private final DatasetSplits data;
  private final RunDirectory run;
  private final ProgressListener progress;
  private final TrainingGraph graph;
  private final RowOrder.TrainValidation split;
  private final LearningRateSchedule schedule;

  public Trainer(RunConfig config, DatasetSplits data, RunDirectory run, TrainingGraph graph,
      ProgressListener progress) {
    this(config, data, RowOrder.trainValidation(data.train().count(), config.training().valSplit(),
        config.training().seed()), run, graph, progress);
  }

  /** @param split the run's train/validation split of {@code data.train()}, as computed for its statistics */
  public Trainer(RunConfig config, DatasetSplits data, RowOrder.TrainValidation split, RunDirectory run,
      TrainingGraph graph, ProgressListener progress) {
    this.config = config;
    this.data = data;
    this.run = run;
    this.graph = graph;
    this.progress = progress;
    TrainingSettings t = config.training();
    this.split = split;
    int stepsPerEpoch = stepsPerEpoch();
    this.schedule = LearningRateSchedule.parse(t.schedule(), t.learningRate(), t.epochs(), stepsPerEpoch, t.warmupSteps());
  }

  public RowOrder.TrainValidation split() {
    return split;
  }

  private int stepsPerEpoch() {
    int batch = config.training().batchSize();
    return (split.train().length + batch - 1) / batch;
  }

  /** Trains from scratch or, with {@code resume}, from checkpoints/last; returns the summary written. */
  public Summary train(boolean resume) {
    TrainingState state = resume ? restoreLast() : TrainingState.START;
    if (!resume && config.transfer() != null && config.transfer().initFrom() != null) {
      WeightImport weights = WeightImport.plan(config.transfer(), config, graph.params());
      weights.apply(graph);
      progress.message("initialised " + weights.mapping().size() + " variables from " + weights.source()
          + (config.transfer().frozenBackbone() ? "; backbone frozen" : ""));
    }
    TrainingSettings t = config.training();
    if (state.epochsDone() >= t.epochs()) {
      progress.message("all " + t.epochs() + " epochs are done; testing the checkpoints");
    }
    for (int epoch = state.epochsDone() + 1; epoch <= t.epochs(); epoch++) {
      EpochMetrics metrics = trainEpoch(epoch);
      boolean best = metrics.valAcc() > state.bestValAcc() || split.validation().length == 0;
      state = new TrainingState(epoch, best ? epoch : state.bestEpoch(),
          best ? metrics.valAcc() : state.bestValAcc(), state.trainSeconds() + metrics.seconds());
      run.appendMetrics(metrics);
      if (best) {
        saveCheckpoint("best", state);
      }
      saveCheckpoint("last", state);
      progress.epochDone(metrics, best);
    }
    return finish(state);
  }

  private EpochMetrics trainEpoch(int epoch) {
    TrainingSettings t = config.training();
    int[] order = RowOrder.epochOrder(split.train(), t.seed(), epoch);
    int steps = stepsPerEpoch();
    progress.epochStarted(epoch, t.epochs(), steps);
    double lossSum = 0;
    long correct = 0;
    long seen = 0;
    double lr = 0;
    long start = System.nanoTime();
    for (int s = 0; s < steps; s++) {
      int[] rows = Arrays.copyOfRange(order, s * t.batchSize(), Math.min(order.length, (s + 1) * t.batchSize()));
      lr = schedule.rate(epoch - 1, s, steps);
      long globalStep = (long) (epoch - 1) * steps + s;
      TrainingGraph.StepResult result = graph.step(rows, (float) lr, globalStep, t.seed());
      if (!Float.isFinite(result.loss())) {
        throw new TrainingDivergedException(String.format(
            "the training loss became %s at epoch %d, step %d (lr %.3g); stopped. checkpoints/last still holds epoch %d",
            result.loss(), epoch, s + 1, lr, epoch - 1));
      }
      lossSum += (double) result.loss() * rows.length;
      correct += result.correct();
      seen += rows.length;
      double elapsed = (System.nanoTime() - start) / 1e9;
      progress.stepDone(s + 1, lossSum / seen, (double) correct / seen, seen / Math.max(elapsed, 1e-9));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    EvalResult val = split.validation().length == 0 ? null
        : graph.validation().evaluate(graph.session(), split.validation(), t.evalBatchSize());
    return new EpochMetrics(epoch, lr, lossSum / seen, (double) correct / seen,
        val == null ? Double.NaN : val.loss(), val == null ? Double.NaN : val.accuracy(), seconds, seen / seconds);
  }

  private void saveCheckpoint(String which, TrainingState state) {
    Path dir = run.checkpoint(which);
    try {
      CheckpointDirectory.write(dir, temp -> {
        graph.checkpointIo().save(graph.session(), temp.resolve(MODEL_PREFIX));
        Json.writeAtomically(temp.resolve(STATE_FILE), state);
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the checkpoint " + dir + ": " + e.getMessage(), e);
    }
  }

  private void restore(Path checkpoint) {
    try {
      graph.checkpointIo().restore(graph.session(), checkpoint.resolve(MODEL_PREFIX));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the checkpoint " + checkpoint + ": " + e.getMessage(), e);
    }
  }

  private TrainingState restoreLast() {
    Path last = run.checkpoint("last");
    try {
      CheckpointDirectory.recover(last);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot recover " + last + ": " + e.getMessage(), e);
    }
    if (!Files.isDirectory(last)) {
      progress.message("no checkpoint yet in " + run.root() + "; starting from the first epoch");
      run.truncateMetrics(0);
      return TrainingState.START;
    }
    TrainingState state = Json.read(last.resolve(STATE_FILE), TrainingState.class);
    restore(last);
    run.truncateMetrics(state.epochsDone());
    progress.message("resuming " + run.root() + " after epoch " + state.epochsDone());
    return state;
  }

  private Summary finish(TrainingState state) {
    TrainingSettings t = config.training();
    int[] testRows = allRows(data.test().count());
    EvalResult lastTest = graph.test().evaluate(graph.session(), testRows, t.evalBatchSize());
    restore(run.checkpoint("best"));
    EvalResult bestTest = graph.test().evaluate(graph.session(), testRows, t.evalBatchSize());

    List<EpochMetrics> history = run.readMetrics();
    double trainSeconds = history.stream().mapToDouble(EpochMetrics::seconds).sum();
    long images = (long) split.train().length * history.size();
    ParameterCounts counts = ParameterCounts.of(graph.params());
    Summary summary = new Summary(config.datasetName(), config.backbone(), config.prompt().name(),
        config.prompt().label(), t.epochs(), t.seed(), state.bestEpoch(), state.bestValAcc(),
        bestTest.accuracy(), lastTest.accuracy(), counts.backbone(), counts.prompt(), counts.head(), counts.total(),
        counts.trainable(), counts.frozen(), counts.promptOverheadPercent(), trainSeconds,
        history.isEmpty() ? 0 : trainSeconds / history.size(), trainSeconds == 0 ? 0 : images / trainSeconds);
    run.writeSummary(summary);
    return summary;
  }

  static int[] allRows(int n) {
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    return rows;
  }
}

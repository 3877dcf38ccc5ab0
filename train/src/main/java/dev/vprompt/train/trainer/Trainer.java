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
import dev.vprompt.core.run.DiskSpace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.vprompt.graph.LabelMap;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Result;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TInt64;

/**
 * The training loop: epochs of seeded shuffled batches through {@link TrainingGraph} (with sharded worker
 * data in {@link RowOrder#shardedEpochOrder}, each tower's share from its shard), validation after
 * each epoch, {@code checkpoints/last} every epoch and {@code checkpoints/best} on a new best validation
 * accuracy (both atomic), then the test accuracy of both. A run resumes from {@code checkpoints/last}
 * and, the shuffles and augmentations being functions of (seed, epoch, step), replays exactly.
 */
public final class Trainer {

  static final String MODEL_PREFIX = dev.vprompt.core.eval.InferenceModel.MODEL_PREFIX;
  static final String STATE_FILE = "state.json";
  /** The optimizer's step counter (see Optimizer), checked against state.json on resume. */
  static final String STEP_VARIABLE = "optimizer.step";

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
    LabelMap labelMap = config.modelSpec().labelMap();
    if (!resume && labelMap != null && labelMap.kind() == LabelMap.Kind.FREQ) {
      // once, with the initial prompt; a resumed run keeps the checkpoint's
      mapLabels(labelMap, 1);
    }
    for (int epoch = state.epochsDone() + 1; epoch <= t.epochs(); epoch++) {
      stopIfAsked(state, epoch, 0);
      if (labelMap != null && labelMap.kind() == LabelMap.Kind.ILM) {
        mapLabels(labelMap, epoch);
      }
      EpochMetrics metrics = trainEpoch(epoch, state);
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
    stopIfAsked(state, t.epochs() + 1, 0);
    return finish(state);
  }

  /** At a step boundary: a stop asked for ends the run here, its checkpoints as they were. */
  private void stopIfAsked(TrainingState state, int epoch, int step) {
    if (!TrainingStop.requested()) {
      return;
    }
    String where = epoch > config.training().epochs() ? "after the last epoch, before testing"
        : step == 0 ? "before epoch " + epoch : "in epoch " + epoch + " after step " + step + " of " + stepsPerEpoch();
    if (state.epochsDone() == 0) {
      throw new TrainingStoppedException("stopped by a signal " + where + "; no epoch had finished, so there is "
          + "nothing to resume");
    }
    throw new TrainingStoppedException("stopped by a signal " + where + "; " + run.checkpoint("last") + " holds epoch "
        + state.epochsDone() + ", intact. Continue with: vprompt train --resume --out " + run.root());
  }

  /**
   * Computes a freq or ilm label map from the head's predictions on the training rows (inference mode, no
   * augmentation, the current prompt) and sets it in the graph.
   */
  private void mapLabels(LabelMap labelMap, int epoch) {
    int[] predicted = graph.headPredictions(split.train(), config.training().evalBatchSize());
    int[] labels = data.train().labels();
    long[][] counts = new long[labelMap.sourceClasses()][config.classNames().size()];
    for (int i = 0; i < predicted.length; i++) {
      counts[predicted[i]][labels[split.train()[i]]]++;
    }
    int[] sourceOf = LabelMap.assign(counts);
    graph.assignLabelMap(sourceOf);
    int shown = Math.min(sourceOf.length, 10);
    progress.message(String.format(java.util.Locale.ROOT, "label map %s (epoch %d): target classes 0..%d read source "
        + "classes %s%s", labelMap.kind().label(), epoch, sourceOf.length - 1,
        Arrays.toString(Arrays.copyOf(sourceOf, shown)), shown < sourceOf.length ? " ..." : ""));
  }

  private EpochMetrics trainEpoch(int epoch, TrainingState state) {
    TrainingSettings t = config.training();
    TrainingShards shards = graph.shards();
    int[] order = shards == null ? RowOrder.epochOrder(split.train(), t.seed(), epoch)
        : shards.epochOrder(t.batchSize(), t.seed(), epoch);
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
      stopIfAsked(state, epoch, s + 1);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    EvalResult val = split.validation().length == 0 ? null
        : graph.validate(split.validation(), t.evalBatchSize());
    return new EpochMetrics(epoch, lr, lossSum / seen, (double) correct / seen,
        val == null ? Double.NaN : val.loss(), val == null ? Double.NaN : val.accuracy(), seconds, seen / seconds,
        val == null ? null : val.promptEffect());
  }

  private void saveCheckpoint(String which, TrainingState state) {
    Path dir = run.checkpoint(which);
    try {
      CheckpointDirectory.write(dir, temp -> {
        graph.checkpointIo().save(graph.session(), temp.resolve(MODEL_PREFIX));
        Json.writeAtomically(temp.resolve(STATE_FILE), state);
      });
    } catch (IOException | RuntimeException e) {
      RuntimeException full = DiskSpace.ifFull(dir, e);
      if (full != null) {
        throw full;
      }
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new UncheckedIOException("cannot write the checkpoint " + dir + ": " + e.getMessage(), (IOException) e);
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
    TrainingState state = resumePoint(config, run, progress::message);
    if (state == TrainingState.START) {
      progress.message("no checkpoint yet in " + run.root() + "; starting from the first epoch");
      cutMetrics(0);
      return state;
    }
    Path last = run.checkpoint("last");
    restore(last);
    requireStep(state, last);
    cutMetrics(state.epochsDone());
    progress.message("resuming " + run.root() + " after epoch " + state.epochsDone());
    return state;
  }

  /**
   * Where a resume of {@code run} starts, checked before any data is loaded or any file changed: the
   * checkpoints are repaired after a crash, state.json must fit config.json, and a run whose
   * checkpoints/last is gone is refused when starting over would overwrite results. Call with the
   * run's lock held.
   *
   * @return the state of checkpoints/last, or {@link TrainingState#START} when the run had none yet
   * @throws IllegalArgumentException saying what is missing and what is intact
   */
  public static TrainingState resumePoint(RunConfig config, RunDirectory run,
      java.util.function.Consumer<String> report) {
    run.recoverCheckpoints(report);
    Path last = run.checkpoint("last");
    if (!Files.isDirectory(last)) {
      requireNothingToLose(run);
      return TrainingState.START;
    }
    TrainingState state = Json.read(last.resolve(STATE_FILE), TrainingState.class);
    requirePlausible(config, state, last.resolve(STATE_FILE));
    if (!Files.isDirectory(run.checkpoint("best"))) {
      throw new IllegalArgumentException(run.checkpoint("best") + ": missing, though " + last.resolve(STATE_FILE)
          + " says epoch " + state.bestEpoch() + " was the best; the run cannot finish without it ("
          + run.checkpoint("last") + " is intact). Pass --restart to set the results aside and train again");
    }
    return state;
  }

  /**
   * Starting over is harmless only while nothing beyond epoch 1 was recorded: a crash between the first
   * epoch's metrics line and its checkpoint replays that epoch exactly. Anything more is refused.
   */
  private static void requireNothingToLose(RunDirectory run) {
    List<String> results = run.results();
    boolean onlyFirstEpoch = results.stream().allMatch(r -> r.equals("metrics.jsonl") || r.equals("checkpoints/best"))
        && firstEpochAtMost(run) && bestAtMostEpochOne(run);
    if (!results.isEmpty() && !onlyFirstEpoch) {
      throw new IllegalArgumentException(run.checkpoint("last") + ": missing, so the run cannot resume, and "
          + run.root() + " holds results a restart would overwrite: " + String.join(", ", results)
          + " (left untouched). Pass --restart instead of --resume to move them into " + run.root() + "/"
          + RunDirectory.SET_ASIDE + "<time>/ and train again from epoch 1");
    }
  }

  private static boolean firstEpochAtMost(RunDirectory run) {
    try {
      return run.readMetrics().stream().allMatch(m -> m.epoch() <= 1);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      return false;
    }
  }

  private static boolean bestAtMostEpochOne(RunDirectory run) {
    Path best = run.checkpoint("best");
    if (!Files.isDirectory(best)) {
      return true;
    }
    try {
      return Json.read(best.resolve(STATE_FILE), TrainingState.class).epochsDone() <= 1;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** state.json against config.json: a hand-edited or foreign file must not pass for a finished run. */
  private static void requirePlausible(RunConfig config, TrainingState state, Path file) {
    int epochs = config.training().epochs();
    String problem = null;
    if (state.epochsDone() < 1 || state.epochsDone() > epochs) {
      problem = "epochs_done " + state.epochsDone() + " is outside 1.." + epochs + ", the epochs config.json sets";
    } else if (state.bestEpoch() < 1 || state.bestEpoch() > state.epochsDone()) {
      problem = "best_epoch " + state.bestEpoch() + " is outside 1.." + state.epochsDone() + " (epochs_done)";
    } else if (!Double.isNaN(state.bestValAcc()) && (state.bestValAcc() < 0 || state.bestValAcc() > 1)) {
      problem = "best_val_acc " + state.bestValAcc() + " is not an accuracy in [0, 1]";
    } else if (!(state.trainSeconds() >= 0) || Double.isInfinite(state.trainSeconds())) {
      problem = "train_seconds " + state.trainSeconds() + " is not a duration";
    }
    if (problem != null) {
      throw new IllegalArgumentException(file + ": " + problem + "; not this run's state. Pass --restart to set "
          + "the results aside and train again");
    }
  }

  /** The optimizer's step counter in the checkpoint must be where state.json says the run stands. */
  private void requireStep(TrainingState state, Path checkpoint) {
    Variable<?> counter = graph.checkpointIo().variables().get(STEP_VARIABLE);
    if (counter == null) {
      return;
    }
    long saved;
    try (Result result = graph.session().runner().fetch(counter).run()) {
      saved = ((TInt64) result.get(0)).getLong();
    }
    long expected = (long) state.epochsDone() * stepsPerEpoch();
    if (saved != expected) {
      throw new IllegalArgumentException(checkpoint.resolve(STATE_FILE) + ": says " + state.epochsDone()
          + " epochs are done (" + expected + " steps of " + stepsPerEpoch() + ") but the checkpoint's "
          + STEP_VARIABLE + " is " + saved + "; the two do not belong together. Pass --restart to set the "
          + "results aside and train again");
    }
  }

  private void cutMetrics(int epochs) {
    RunDirectory.MetricsCut cut = run.truncateMetrics(epochs);
    if (cut.damaged() > 0) {
      progress.message(run.metrics() + ": " + cut.damaged() + " damaged line(s) moved to " + cut.setAside()
          + "; kept " + cut.kept() + " readable record(s) up to epoch " + epochs);
    }
  }

  private Summary finish(TrainingState state) {
    TrainingSettings t = config.training();
    int[] testRows = allRows(data.test().count());
    EvalResult lastTest = graph.test().evaluate(graph.session(), testRows, t.evalBatchSize());
    restore(run.checkpoint("best"));
    EvalResult bestTest = graph.test().evaluate(graph.session(), testRows, t.evalBatchSize());

    // from the checkpointed state, not metrics.jsonl: a damaged or missing metrics file must not change them
    double trainSeconds = state.trainSeconds();
    int epochsDone = state.epochsDone();
    long images = (long) split.train().length * epochsDone;
    ParameterCounts counts = ParameterCounts.of(graph.params());
    Summary summary = new Summary(config.datasetName(), config.backbone(), config.prompt().name(),
        config.prompt().label(), t.epochs(), t.seed(), state.bestEpoch(), state.bestValAcc(),
        bestTest.accuracy(), lastTest.accuracy(), counts.backbone(), counts.prompt(), counts.head(), counts.total(),
        counts.trainable(), counts.frozen(), counts.promptOverheadPercent(), trainSeconds,
        epochsDone == 0 ? 0 : trainSeconds / epochsDone, trainSeconds == 0 ? 0 : images / trainSeconds,
        bestTest.promptEffect(), lastTest.promptEffect());
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

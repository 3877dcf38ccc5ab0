package dev.vprompt.train;

import dev.vprompt.core.data.DatasetStats;
import dev.vprompt.core.data.ImageSet;
import dev.vprompt.core.data.LoadedData;
import dev.vprompt.core.run.DirectoryLock;
import dev.vprompt.core.run.FileTrees;
import dev.vprompt.core.run.RunConfig;
import dev.vprompt.core.run.RunDirectory;
import dev.vprompt.core.run.Summary;
import dev.vprompt.core.run.TrainingSettings;
import dev.vprompt.core.run.TransferSettings;
import dev.vprompt.core.run.WorkerData;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.train.optim.DecayPolicy;
import dev.vprompt.train.optim.OptimizerConfig;
import dev.vprompt.train.optim.OptimizerKind;
import dev.vprompt.train.pipeline.Augmentation;
import dev.vprompt.train.tensorboard.TensorBoardLog;
import dev.vprompt.train.tensorboard.TensorBoardOptions;
import dev.vprompt.train.tensorboard.TensorBoardSettings;
import dev.vprompt.train.trainer.ProgressListener;
import dev.vprompt.train.trainer.RowOrder;
import dev.vprompt.train.trainer.SourceNormalization;
import dev.vprompt.train.trainer.Trainer;
import dev.vprompt.train.trainer.TrainingStop;
import dev.vprompt.train.trainer.TrainingGraph;
import dev.vprompt.train.trainer.TrainingShards;
import dev.vprompt.train.trainer.ResidentFootprint;
import dev.vprompt.ops.placement.SessionSpec;
import dev.vprompt.train.trainer.WeightImport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs as a library does them: {@link #start} a new run from a {@link TrainRequest}, {@link #resume} a
 * stopped one from its directory. Each loads the data, computes the seeded split and the normalisation
 * statistics of its training part, writes config.json, trains, and returns the summary; a new run that
 * fails before its first checkpoint leaves no directory behind.
 */
public final class Training {

  /** What a run is about to do, told before anything is written. */
  public record Plan(RunConfig config, Path dir, int trainImages, int validationImages, int testImages,
      Augmentation augmentation) {}

  /** Hears the plan, then the trainer's progress. */
  public interface Listener extends ProgressListener {
    default void planned(Plan plan) {}
  }

  /** A finished run: its directory and the summary.json written. */
  public record Result(RunDirectory run, Summary summary) {}

  private Training() {}

  /** As {@link #start(TrainRequest, TensorBoardOptions, Listener)}, logging to RUN/tensorboard. */
  public static Result start(TrainRequest request, Listener listener) {
    return start(request, TensorBoardOptions.DEFAULT, SessionSpec.LOCAL, listener);
  }

  /** Starts the run the request describes; fails on bad input before anything is written. */
  public static Result start(TrainRequest request, TensorBoardOptions tensorboard, Listener listener) {
    return start(request, tensorboard, SessionSpec.LOCAL, listener);
  }

  /**
   * As {@link #start(TrainRequest, TensorBoardOptions, Listener)}, on the devices, towers or cluster workers
   * the session spec names; the run directory does not depend on it (see docs/distributed.md).
   */
  public static Result start(TrainRequest request, TensorBoardOptions tensorboard, SessionSpec sessionSpec,
      Listener listener) {
    return start(request, tensorboard, sessionSpec, null, listener);
  }

  /**
   * As {@link #start(TrainRequest, TensorBoardOptions, SessionSpec, Listener)}, holding the training split
   * as {@code workerData} says ({@link WorkerData#SHARDED} or {@link WorkerData#REPLICATED}); null: sharded
   * when each tower has a host of its own (a cluster), else replicated.
   */
  public static Result start(TrainRequest request, TensorBoardOptions tensorboard, SessionSpec sessionSpec,
      String workerData, Listener listener) {
    TrainingSettings settings = request.training();
    OptimizerConfig optimizerConfig = optimizerConfig(settings);
    LoadedData loaded = LoadedData.load(request.data(), request.dataClasses(), request.trainPerClass());
    ImageSet train = loaded.splits().train();
    InputSpec input = new InputSpec(train.height(), train.width(), train.channels());
    Augmentation augmentation = Augmentation.choose(settings.augment(), loaded.kind(), input.channels());
    RowOrder.TrainValidation split = RowOrder.trainValidation(train.count(), settings.valSplit(), settings.seed());
    if (request.warmupFraction() > 0) {
      long steps = (long) settings.epochs() * ((split.train().length + settings.batchSize() - 1) / settings.batchSize());
      settings = settings.withWarmupSteps((int) Math.round(request.warmupFraction() * steps));
    }
    DatasetStats.SplitStats stats = DatasetStats.of("train", train.subset(split.train()));
    TransferSettings transfer = request.transfer();
    SourceNormalization norm = SourceNormalization.resolve(transfer.normalization(), transfer.initFrom(),
        input.channels(), toFloats(stats.mean()), toFloats(nonZero(stats.std())));
    transfer = transfer.withNormalization(norm.mode());
    if (transfer.labelMap() != null) {
      transfer = transfer.withSourceClasses(WeightImport.sourceClasses(transfer));
    }
    String mode = workerData != null ? WorkerData.parseMode(workerData)
        : sessionSpec.layout().dataPerTower() ? WorkerData.SHARDED : WorkerData.REPLICATED;
    WorkerData placement = mode.equals(WorkerData.SHARDED)
        ? WorkerData.sharded(shardSizes(split.train().length, settings.batchSize(), sessionSpec.layout().towerCount()))
        : WorkerData.REPLICATED_DATA;
    RunConfig config = new RunConfig(loaded.spec(), loaded.splits().name(), loaded.kind(), input.toString(),
        loaded.splits().classNames(), request.backbone(), request.patchSize(), request.prompt(),
        norm.mean(), norm.std(), settings, versions(), request.dataClasses(),
        request.transfers() ? transfer : null, request.trainPerClass(), request.resize(), placement);
    config.modelSpec().createBackbone();
    if (request.transfer().initFrom() != null) {
      WeightImport.check(config);
    }
    Path dir = request.out() != null ? request.out() : Path.of("runs", defaultName(config));
    RunDirectory run = RunDirectory.fresh(dir);
    TensorBoardSettings board = tensorboard.forNewRun();
    boolean existed = Files.exists(dir);
    listener.planned(new Plan(config, dir, split.train().length, split.validation().length,
        loaded.splits().test().count(), augmentation));
    run.create();
    try (DirectoryLock lock = run.lock()) {
      try {
        if (Files.exists(run.config())) {
          // looked at again under the lock: another train started here meanwhile
          throw new IllegalArgumentException(dir + ": another train started a run here meanwhile; pass another --out");
        }
        run.writeConfig(config);
        board.save(dir);
        return train(config, loaded, run, augmentation, optimizerConfig, split, board, false, sessionSpec, listener);
      } catch (RuntimeException e) {
        if (!existed && !Files.exists(run.checkpoint("last"))) {
          deleteQuietly(dir);
        }
        throw e;
      }
    }
  }

  /**
   * Continues the run in {@code dir} from its last checkpoint, with the settings of its config.json,
   * holding the run's lock. Refuses, before loading any data, a run it cannot continue without
   * overwriting results (see {@link Trainer#resumePoint}).
   */
  public static Result resume(Path dir, Listener listener) {
    return resume(dir, TensorBoardOptions.DEFAULT, SessionSpec.LOCAL, listener);
  }

  /** As {@link #resume(Path, Listener)}, with TensorBoard options replacing the run's own when given. */
  public static Result resume(Path dir, TensorBoardOptions tensorboard, SessionSpec sessionSpec, Listener listener) {
    return resume(dir, tensorboard, sessionSpec, null, listener);
  }

  /**
   * As {@link #resume(Path, TensorBoardOptions, SessionSpec, Listener)}; {@code workerData}, when given,
   * must be the run's own mode (the mode decides the training order), and a sharded run resumes only on
   * the number of towers it was sharded over.
   */
  public static Result resume(Path dir, TensorBoardOptions tensorboard, SessionSpec sessionSpec, String workerData,
      Listener listener) {
    RunDirectory run = RunDirectory.existing(dir);
    try (DirectoryLock lock = run.lock()) {
      RunConfig config = run.readConfig();
      requireWorkerData(run, config, sessionSpec, workerData);
      Trainer.resumePoint(config, run, listener::message);
      return trainAgain(run, config, true, tensorboard.forResume(dir), sessionSpec, listener);
    }
  }

  /**
   * Trains the run in {@code dir} again from epoch 1 with its config.json, after moving its results into
   * {@code set-aside-<time>/} inside it: nothing is deleted.
   */
  public static Result restart(Path dir, TensorBoardOptions tensorboard, SessionSpec sessionSpec, Listener listener) {
    return restart(dir, tensorboard, sessionSpec, null, listener);
  }

  /** As {@link #restart(Path, TensorBoardOptions, SessionSpec, Listener)}, with the checks of {@link #resume}. */
  public static Result restart(Path dir, TensorBoardOptions tensorboard, SessionSpec sessionSpec, String workerData,
      Listener listener) {
    RunDirectory run = RunDirectory.existing(dir);
    try (DirectoryLock lock = run.lock()) {
      RunConfig config = run.readConfig();
      requireWorkerData(run, config, sessionSpec, workerData);
      run.recoverCheckpoints(listener::message);
      Path aside = run.setAsideResults();
      listener.message(aside == null ? "restarting " + run.root() + " (it held no results yet)"
          : "restarting " + run.root() + "; its earlier results are in " + aside);
      // the old event files went aside with the other results: the curves start again at epoch 1
      TensorBoardSettings board = tensorboard.forNewRun();
      board.save(dir);
      return trainAgain(run, config, false, board, sessionSpec, listener);
    }
  }

  private static Result trainAgain(RunDirectory run, RunConfig config, boolean resuming, TensorBoardSettings board,
      SessionSpec sessionSpec, Listener listener) {
    LoadedData loaded = LoadedData.forRun(config);
    TrainingSettings t = config.training();
    Augmentation augmentation = Augmentation.choose(t.augment(), loaded.kind(), config.inputSpec().channels());
    RowOrder.TrainValidation split = RowOrder.trainValidation(loaded.splits().train().count(), t.valSplit(), t.seed());
    return train(config, loaded, run, augmentation, optimizerConfig(t), split, board, resuming, sessionSpec, listener);
  }

  /**
   * The run's worker data against the command line, checked before any data is loaded: a resume keeps
   * the mode, and a sharded run its number of towers (its shards and hence its training order).
   */
  private static void requireWorkerData(RunDirectory run, RunConfig config, SessionSpec sessionSpec,
      String workerData) {
    WorkerData recorded = config.workerDataOrReplicated();
    if (workerData != null && !WorkerData.parseMode(workerData).equals(recorded.mode())) {
      throw new IllegalArgumentException(run.config() + ": the run trains with " + recorded.mode()
          + " worker data; --worker-data " + WorkerData.parseMode(workerData) + " would change its training order. "
          + "Continue it without --worker-data, or start a new run");
    }
    int towers = sessionSpec.layout().towerCount();
    if (recorded.sharded() && recorded.shardRows().size() != towers) {
      throw new IllegalArgumentException(run.config() + ": the run's training split is sharded over "
          + recorded.shardRows().size() + " towers (rows " + recorded.shardRows() + "), and its training order "
          + "depends on that; continue it on " + recorded.shardRows().size() + " towers (--devices "
          + recorded.shardRows().size() + " or a cluster of as many workers), not " + towers);
    }
  }

  /** The shard sizes of a sharded run; refuses a shard that would be empty. */
  private static int[] shardSizes(int rows, int batchSize, int towers) {
    int[] sizes = RowOrder.shardSizes(rows, batchSize, towers);
    for (int k = 0; k < towers; k++) {
      if (sizes[k] == 0) {
        throw new IllegalArgumentException("--worker-data sharded: tower " + k + "'s shard would be empty ("
            + rows + " training rows in batches of " + batchSize + " over " + towers + " towers); give a batch "
            + "of at least " + towers + " rows or --worker-data replicated");
      }
    }
    return sizes;
  }

  /** The shards of a sharded run, computed again from its split and checked against config.json. */
  private static TrainingShards shards(RunConfig config, LoadedData loaded, RowOrder.TrainValidation split,
      RunDirectory run) {
    WorkerData placement = config.workerDataOrReplicated();
    if (!placement.sharded()) {
      return null;
    }
    TrainingSettings t = config.training();
    int towers = placement.shardRows().size();
    int[][] rows = RowOrder.shards(split.train(), loaded.splits().train().labels(), t.batchSize(), towers, t.seed());
    List<Integer> sizes = Arrays.stream(rows).map(r -> r.length).toList();
    if (!sizes.equals(placement.shardRows())) {
      throw new IllegalArgumentException(run.config() + ": records shards of " + placement.shardRows() + " rows, but "
          + "its split and batch size give " + sizes + "; not this run's configuration");
    }
    return new TrainingShards(rows, split.validation(), loaded.splits().train().count());
  }

  private static Result train(RunConfig config, LoadedData loaded, RunDirectory run, Augmentation augmentation,
      OptimizerConfig optimizerConfig, RowOrder.TrainValidation split, TensorBoardSettings board, boolean resuming,
      SessionSpec sessionSpec, Listener listener) {
    TrainingSettings t = config.training();
    TrainingShards shards = shards(config, loaded, split, run);
    // closed last, after the session: a shutdown waits for that (TrainingStop)
    TrainingStop.Running running = TrainingStop.enter();
    try (running;
        TrainingGraph graph = new TrainingGraph(config.modelSpec(), loaded.splits(), augmentation, optimizerConfig,
            t.seed(), t.threads(), config.transferOrScratch().frozen(), sessionSpec, shards);
        TensorBoardLog log = board.enabled()
            ? new TensorBoardLog(graph, run, board.dir(run.root()), t.epochs(), board.imagesEvery()) : null) {
      if (shards != null || sessionSpec.layout().parallel()) {
        listener.message("worker data: " + config.workerDataOrReplicated() + "; resident " + ResidentFootprint.describe(
            graph.residentVariables()));
      }
      if (log != null) {
        listener.message(TensorBoardLog.describe(board.dir(run.root())));
      }
      Trainer trainer = new Trainer(config, loaded.splits(), split, run, graph,
          log == null ? listener : ProgressListener.both(listener, log));
      return new Result(run, trainer.train(resuming));
    }
  }

  /** The optimizer the settings name; fails on an unknown optimizer or decay policy. */
  public static OptimizerConfig optimizerConfig(TrainingSettings t) {
    return OptimizerConfig.of(OptimizerKind.parse(t.optimizer()), t.weightDecay())
        .withDecayPolicy(DecayPolicy.parse(t.decay()));
  }

  private static String defaultName(RunConfig config) {
    return String.format(Locale.ROOT, "%s-%s-%s-s%d", config.datasetName(), config.backbone(), config.prompt().name(),
        config.training().seed());
  }

  /** The versions config.json records. */
  public static Map<String, String> versions() {
    Map<String, String> versions = new LinkedHashMap<>();
    String version = Training.class.getPackage().getImplementationVersion();
    versions.put("vprompt", version == null ? "development" : version);
    versions.put("tensorflow_java", "1.1.0");
    versions.put("tensorflow", org.tensorflow.TensorFlow.version());
    versions.put("java", System.getProperty("java.version"));
    return versions;
  }

  private static float[] toFloats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  /** A constant channel has std 0; normalising by 1 keeps it finite. */
  private static double[] nonZero(double[] std) {
    double[] out = std.clone();
    for (int i = 0; i < out.length; i++) {
      if (!(out[i] > 1e-6)) {
        out[i] = 1;
      }
    }
    return out;
  }

  private static void deleteQuietly(Path dir) {
    try {
      FileTrees.delete(dir);
    } catch (IOException ignored) {
      // best effort: the error being reported matters more
    }
  }
}

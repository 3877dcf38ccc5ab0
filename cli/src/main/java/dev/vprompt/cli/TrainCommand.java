package dev.vprompt.cli;

import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.train.data.DatasetStats;
import dev.vprompt.train.data.ImageSet;
import dev.vprompt.train.data.ClassSelection;
import dev.vprompt.train.data.LoadedData;
import dev.vprompt.train.optim.DecayPolicy;
import dev.vprompt.train.optim.OptimizerConfig;
import dev.vprompt.train.optim.OptimizerKind;
import dev.vprompt.train.pipeline.Augmentation;
import dev.vprompt.train.run.FileTrees;
import dev.vprompt.train.run.RunConfig;
import dev.vprompt.train.run.RunDirectory;
import dev.vprompt.train.run.Summary;
import dev.vprompt.train.run.TrainingSettings;
import dev.vprompt.train.run.TransferSettings;
import dev.vprompt.train.trainer.DataSplit;
import dev.vprompt.train.trainer.Trainer;
import dev.vprompt.train.trainer.TrainingGraph;
import dev.vprompt.ops.placement.ClusterSpec;
import dev.vprompt.ops.placement.SessionSpec;
import dev.vprompt.train.trainer.WeightImport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vprompt train}: trains a prompted classifier and writes a run directory. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Trains a (prompted) classifier with the MSVP paper's protocol by default: Adam with coupled L2 "
          + "weight decay, cosine schedule per epoch, batch 128, seeded 90/10 train/validation split, the "
          + "best-validation and the last checkpoint both tested at the end.",
      "",
      "Writes OUT/config.json, OUT/metrics.jsonl (one line per epoch), OUT/checkpoints/{best,last} and "
          + "OUT/summary.json. Without --data it trains on the Fashion-MNIST subset shipped in testdata/."
    })
final class TrainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ModelOptions model;

  @Mixin PlacementOptions placement;

  @Option(names = "--data", paramLabel = "SPEC",
      description = "Dataset: fashion-mnist:DIR, mnist:DIR, cifar10:DIR, cifar100:DIR, idx:DIR, folder:DIR "
          + "(default: the embedded Fashion-MNIST subset).")
  String data;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Run directory (default: runs/DATASET-BACKBONE-PROMPT-sSEED).")
  Path outDir;

  @Option(names = "--data-classes", paramLabel = "LIST",
      description = "Keep only these classes, renumbered from 0 in the order given, e.g. 0-4 or 5,6,7,8,9.")
  String dataClasses;

  @Option(names = "--train-per-class", paramLabel = "N",
      description = "Keep at most N training images per class (the first in file order), e.g. for few-shot "
          + "adaptation; validation is split from what is kept, the test split stays whole.")
  Integer trainPerClass;

  @Option(names = "--init-from", paramLabel = "RUN|PREFIX",
      description = "Initialise from a vprompt run directory (backbone, and head with --head keep) or a TensorFlow "
          + "checkpoint prefix (with --init-map).")
  String initFrom;

  @Option(names = "--checkpoint", paramLabel = "WHICH", defaultValue = "best",
      description = "Which checkpoint of the --init-from run: best or last (default: ${DEFAULT-VALUE}).")
  String initCheckpoint;

  @Option(names = "--init-map", paramLabel = "FILE",
      description = "For a TensorFlow checkpoint: lines of 'checkpoint_name variable_name'; unmatched or mis-shaped "
          + "names are errors.")
  String initMap;

  @Option(names = "--freeze", paramLabel = "WHAT", defaultValue = "none",
      description = "backbone: train only the prompt and the head, batch-norm statistics fixed (prompting and linear "
          + "probing); none: train everything (fine-tuning) (default: ${DEFAULT-VALUE}).")
  String freeze;

  @Option(names = "--head", paramLabel = "HEAD", defaultValue = "new",
      description = "new: a fresh classification head; keep: restore the --init-from run's head (default: ${DEFAULT-VALUE}).")
  String head;

  @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint; other options are read from its config.json.")
  boolean resume;

  @Option(names = "--epochs", defaultValue = "10", description = "Epochs (default: ${DEFAULT-VALUE}; the paper: 10 for MNIST/Fashion-MNIST, 150 for CIFAR-10).")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--lr", defaultValue = "1e-3", description = "Base learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--weight-decay", defaultValue = "1e-4", description = "Weight decay (default: ${DEFAULT-VALUE}; coupled L2 for adam and sgd, decoupled for adamw).")
  double weightDecay;

  @Option(names = "--optimizer", defaultValue = "adam", description = "adam (PyTorch Adam with L2, the paper's), adamw or sgd (momentum 0.9) (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(names = "--decay", defaultValue = "all", description = "Which weights decay: all (the paper's, as PyTorch's Adam) or selective (kernels only) (default: ${DEFAULT-VALUE}).")
  String decay;

  @Option(names = "--schedule", defaultValue = "cosine", description = "Learning-rate schedule: cosine (per epoch, the paper's), cosine-step, constant (default: ${DEFAULT-VALUE}).")
  String schedule;

  @Option(names = "--warmup-steps", defaultValue = "0", description = "Linear warm-up steps before the schedule (default: ${DEFAULT-VALUE}).")
  int warmupSteps;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the split, the shuffles, the initialisation, dropout and augmentation (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--val-split", defaultValue = "0.1", description = "Fraction of the training set held out for validation (default: ${DEFAULT-VALUE}).")
  double valSplit;

  @Option(names = "--augment", defaultValue = "auto", description = "auto (the paper's per dataset), none, digits (crop + rotation) or natural (crop + flip) (default: ${DEFAULT-VALUE}).")
  String augment;

  @Option(names = "--threads", defaultValue = "0", description = "TensorFlow intra-op threads; 0 uses every core (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--eval-batch-size", defaultValue = "1000", description = "Batch size of validation and test passes (default: ${DEFAULT-VALUE}).")
  int evalBatchSize;

  @Option(names = "--verbose", description = "TensorFlow's own logging and stack traces on errors.")
  boolean verbose;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (resume) {
      return resume(out);
    }
    TrainingSettings settings = new TrainingSettings(epochs, batchSize, lr, weightDecay, optimizer, decay, schedule,
        warmupSteps, seed, valSplit, augment, threads, evalBatchSize);
    OptimizerConfig optimizerConfig = optimizerConfig(settings);
    TransferSettings transfer = new TransferSettings(initFrom, initCheckpoint, initMap, freeze, head);
    List<Integer> classes = dataClasses == null ? null
        : Arrays.stream(ClassSelection.parse(dataClasses)).boxed().toList();
    LoadedData loaded = LoadedData.load(data, classes, trainPerClass);
    ImageSet train = loaded.splits().train();
    InputSpec input = new InputSpec(train.height(), train.width(), train.channels());
    Augmentation augmentation = Augmentation.choose(augment, loaded.kind(), input.channels());
    DataSplit.TrainValidation split = DataSplit.trainValidation(train.count(), valSplit, seed);
    DatasetStats.SplitStats stats = DatasetStats.of("train", train.subset(split.train()));
    RunConfig config = new RunConfig(loaded.spec(), loaded.splits().name(), loaded.kind(), input.toString(),
        loaded.splits().classNames(), model.backbone(), model.patchSize, model.promptSettings(),
        toFloats(stats.mean()), toFloats(nonZero(stats.std())), settings, versions(), classes,
        initFrom == null && transfer.freeze().equals("none") ? null : transfer, trainPerClass);
    ModelSpec modelSpec = config.modelSpec();
    modelSpec.createBackbone();
    if (initFrom != null) {
      WeightImport.check(config);
    }
    Path dir = outDir != null ? outDir : Path.of("runs", defaultName(config));
    RunDirectory run = RunDirectory.fresh(dir);
    boolean existed = Files.exists(dir);

    out.printf(Locale.ROOT, "%s: %d train / %d validation / %d test images of %s, %d classes%n",
        config.datasetName(), split.train().length, split.validation().length, loaded.splits().test().count(),
        input, config.classNames().size());
    out.printf(Locale.ROOT, "model: %s + %s; augmentation: %s; run directory: %s%n", config.backbone(),
        config.prompt().label(), augmentation.describe(), dir);
    run.create();
    run.writeConfig(config);
    try {
      return train(config, loaded, run, augmentation, optimizerConfig, false, out);
    } catch (RuntimeException e) {
      if (!existed && !Files.exists(run.checkpoint("last"))) {
        deleteRecursively(dir);
      }
      throw e;
    }
  }

  private int resume(PrintWriter out) {
    if (outDir == null) {
      throw new IllegalArgumentException("--resume needs --out, the run directory to continue");
    }
    RunDirectory run = RunDirectory.existing(outDir);
    RunConfig config = run.readConfig();
    LoadedData loaded = LoadedData.forRun(config);
    Augmentation augmentation = Augmentation.choose(config.training().augment(), loaded.kind(), config.inputSpec().channels());
    return train(config, loaded, run, augmentation, optimizerConfig(config.training()), true, out);
  }

  private int train(RunConfig config, LoadedData loaded, RunDirectory run, Augmentation augmentation,
      OptimizerConfig optimizerConfig, boolean resuming, PrintWriter out) {
    TrainingSettings t = config.training();
    SessionSpec sessionSpec = placement.sessionSpec();
    ClusterSpec cluster = placement.clusterSpec();
    if (cluster != null) {
      String down = cluster.firstUnreachable(2000);
      if (down != null) {
        throw new IllegalArgumentException("the cluster file " + placement.cluster + ": task " + down
            + " does not accept connections; start it with 'vprompt worker --cluster FILE --task N'");
      }
      out.printf(Locale.ROOT, "cluster: %d worker towers, variables on %s, master %s%n", cluster.workers(),
          cluster.variableDevice(), cluster.masterTarget());
    } else if (sessionSpec.layout().parallel()) {
      out.printf(Locale.ROOT, "towers: %s (global batch %d, per-tower batch-norm), variables on %s%n",
          sessionSpec.layout().towers(), t.batchSize(), sessionSpec.layout().variables());
    }
    try (TrainingGraph graph = new TrainingGraph(config.modelSpec(), loaded.splits(), augmentation, optimizerConfig,
        t.seed(), t.threads(), config.transferOrScratch().frozen(), TrainingGraph.Feed.RESIDENT, sessionSpec)) {
      Trainer trainer = new Trainer(config, loaded.splits(), run, graph, ConsoleProgress.forThisProcess(out));
      Summary s;
      try {
        s = trainer.train(resuming);
      } catch (RuntimeException e) {
        throw cluster == null ? e : ClusterFailure.explain(e, cluster, run);
      }
      out.printf(Locale.ROOT, "best epoch %d: val acc %.4f, test acc %.4f (best) / %.4f (last); %.1f s, %.0f img/s%n",
          s.bestEpoch(), s.bestValAcc(), s.testAccBest(), s.testAccLast(), s.trainSeconds(), s.trainImagesPerSec());
      out.println("summary: " + run.summary());
      return 0;
    }
  }

  static OptimizerConfig optimizerConfig(TrainingSettings t) {
    return OptimizerConfig.of(OptimizerKind.parse(t.optimizer()), t.weightDecay()).withDecayPolicy(DecayPolicy.parse(t.decay()));
  }

  private static String defaultName(RunConfig config) {
    return String.format(Locale.ROOT, "%s-%s-%s-s%d", config.datasetName(), config.backbone(), config.prompt().name(),
        config.training().seed());
  }

  static Map<String, String> versions() {
    Map<String, String> versions = new LinkedHashMap<>();
    String version = TrainCommand.class.getPackage().getImplementationVersion();
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

  static void deleteRecursively(Path dir) {
    try {
      FileTrees.delete(dir);
    } catch (IOException ignored) {
      // best effort: the error being reported matters more
    }
  }
}

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
import dev.vprompt.train.run.Protocol;
import dev.vprompt.train.run.RunConfig;
import dev.vprompt.train.run.RunDirectory;
import dev.vprompt.train.run.Summary;
import dev.vprompt.train.run.TrainingSettings;
import dev.vprompt.train.run.TransferSettings;
import dev.vprompt.train.trainer.DataSplit;
import dev.vprompt.train.trainer.SourceNormalization;
import dev.vprompt.train.trainer.Trainer;
import dev.vprompt.train.trainer.TrainingGraph;
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
      "Trains a (prompted) classifier with the MSVP paper's protocol by default (Adam with coupled L2 "
          + "weight decay, cosine schedule per epoch, batch 128), or another paper's with --protocol; seeded "
          + "90/10 train/validation split, the best-validation and the last checkpoint both tested at the end.",
      "",
      "Writes OUT/config.json, OUT/metrics.jsonl (one line per epoch), OUT/checkpoints/{best,last} and "
          + "OUT/summary.json. Without --data it trains on the Fashion-MNIST subset shipped in testdata/."
    })
final class TrainCommand implements Callable<Integer> {

  private static final String PROTOCOL_SOURCES = "msvp: MSVP paper §IV-D and salimkhazem/msvp; lor-vp: "
      + "jincan333/LoR-VP run/run_lorvp.sh; lotep: LoTeP §5 follows LoR-VP; insvp: zhoujiahuan1991/MM2024-InsVP "
      + "sh/cifar10.sh and utils/args.py (mixup/cutmix not implemented); linear-probe: LoR-VP's script values.";

  @Spec CommandSpec spec;

  @Mixin ModelOptions model;

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

  @Option(names = "--protocol", paramLabel = "NAME",
      description = "A paper's training protocol, setting optimizer, lr, schedule, warm-up, weight decay, batch "
          + "size, epochs and augmentation at once; each stays overridable by its own flag, and the values used "
          + "go to config.json. msvp (the default), lor-vp, lotep, insvp, linear-probe. Sources: "
          + PROTOCOL_SOURCES)
  String protocol;

  @Option(names = "--epochs", description = "Epochs (protocol default: msvp 10, the MSVP paper's for "
      + "MNIST/Fashion-MNIST (150 for CIFAR-10); lor-vp, lotep, linear-probe 20; insvp 100).")
  Integer epochs;

  @Option(names = "--batch-size", description = "Batch size (protocol default: msvp 128, lor-vp/lotep/linear-probe "
      + "256, insvp 64).")
  Integer batchSize;

  @Option(names = "--lr", description = "Base learning rate (protocol default: msvp 1e-3, lor-vp/lotep/linear-probe "
      + "0.02, insvp 2e-3).")
  Double lr;

  @Option(names = "--weight-decay", description = "Weight decay, coupled L2 for adam and sgd, decoupled for adamw "
      + "(protocol default: msvp and lor-vp/lotep/linear-probe 1e-4, insvp 1e-3).")
  Double weightDecay;

  @Option(names = "--optimizer", description = "adam (PyTorch Adam with L2), adamw or sgd (momentum 0.9) (protocol "
      + "default: msvp adam, lor-vp/lotep/linear-probe sgd, insvp adamw).")
  String optimizer;

  @Option(names = "--decay", description = "Which weights decay: all (every trainable weight, as the papers' PyTorch "
      + "optimizers do), selective (kernels only) or except-prompt (all but the prompt's). Default: all when "
      + "training from scratch, except-prompt with --init-from, so that no factor of a factorised prompt "
      + "(one factor starts at zero, so the others get no data gradient at first) is pulled to zero by decay.")
  String decay;

  @Option(names = "--schedule", description = "Learning-rate schedule: cosine (per epoch), cosine-step, constant "
      + "(protocol default: msvp cosine, the MSVP reference code's per-epoch CosineAnnealingLR; lor-vp/lotep/"
      + "linear-probe and insvp cosine-step).")
  String schedule;

  @Option(names = "--warmup-steps", description = "Linear warm-up steps before the schedule (protocol default: 0; "
      + "insvp 20% of the run's steps, its 20 warm-up epochs of 100).")
  Integer warmupSteps;

  @Option(names = "--normalization", paramLabel = "FROM", defaultValue = "auto",
      description = "Input normalisation statistics: auto (the source run's with a run directory as --init-from, "
          + "ImageNet's with a checkpoint prefix on RGB data, else the training split's), source, imagenet or target "
          + "(this run's training split) (default: ${DEFAULT-VALUE}).")
  String normalization;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the split, the shuffles, the initialisation, dropout and augmentation (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--val-split", defaultValue = "0.1", description = "Fraction of the training set held out for validation (default: ${DEFAULT-VALUE}).")
  double valSplit;

  @Option(names = "--augment", description = "auto (the MSVP paper's per dataset), none, digits (crop + rotation) or "
      + "natural (crop + flip) (protocol default: msvp auto; lor-vp/lotep/linear-probe none, the LoR-VP script's "
      + "randomcrop=0; insvp natural, its resize + random crop + flip).")
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
    trainingSettings(-1);
    List<Integer> classes = dataClasses == null ? null
        : Arrays.stream(ClassSelection.parse(dataClasses)).boxed().toList();
    LoadedData loaded = LoadedData.load(data, classes, trainPerClass);
    ImageSet train = loaded.splits().train();
    InputSpec input = new InputSpec(train.height(), train.width(), train.channels());
    DataSplit.TrainValidation split = DataSplit.trainValidation(train.count(), valSplit, seed);
    TrainingSettings settings = trainingSettings(split.train().length);
    OptimizerConfig optimizerConfig = optimizerConfig(settings);
    Augmentation augmentation = Augmentation.choose(settings.augment(), loaded.kind(), input.channels());
    DatasetStats.SplitStats stats = DatasetStats.of("train", train.subset(split.train()));
    SourceNormalization norm = SourceNormalization.resolve(normalization, initFrom, input.channels(),
        toFloats(stats.mean()), toFloats(nonZero(stats.std())));
    TransferSettings transfer = new TransferSettings(initFrom, initCheckpoint, initMap, freeze, head, norm.mode());
    RunConfig config = new RunConfig(loaded.spec(), loaded.splits().name(), loaded.kind(), input.toString(),
        loaded.splits().classNames(), model.backbone(), model.patchSize, model.promptSettings(),
        norm.mean(), norm.std(), settings, versions(), classes,
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
    out.printf(Locale.ROOT, "protocol %s: %s lr %s, %s, warm-up %d steps, weight decay %s (%s), batch %d, %d epochs; "
        + "normalisation: %s%n", settings.protocol(), settings.optimizer(), settings.learningRate(), settings.schedule(),
        settings.warmupSteps(), settings.weightDecay(), settings.decay(), settings.batchSize(), settings.epochs(),
        norm.mode());
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
    try (TrainingGraph graph = new TrainingGraph(config.modelSpec(), loaded.splits(), augmentation, optimizerConfig,
        t.seed(), t.threads(), config.transferOrScratch().frozen())) {
      Trainer trainer = new Trainer(config, loaded.splits(), run, graph, ConsoleProgress.forThisProcess(out));
      Summary s = trainer.train(resuming);
      out.printf(Locale.ROOT, "best epoch %d: val acc %.4f, test acc %.4f (best) / %.4f (last); %.1f s, %.0f img/s%n",
          s.bestEpoch(), s.bestValAcc(), s.testAccBest(), s.testAccLast(), s.trainSeconds(), s.trainImagesPerSec());
      out.println("summary: " + run.summary());
      return 0;
    }
  }

  /**
   * The training settings: each option given, else the protocol's value (msvp without --protocol).
   *
   * @param trainImages images per epoch, to turn the protocol's warm-up fraction into steps; -1 when not
   *     known yet (a check of the options only)
   */
  TrainingSettings trainingSettings(int trainImages) {
    Protocol p = Protocol.parse(protocol == null ? Protocol.MSVP.name() : protocol);
    int e = epochs != null ? epochs : p.epochs();
    int b = batchSize != null ? batchSize : p.batchSize();
    int warmup;
    if (warmupSteps != null) {
      warmup = warmupSteps;
    } else if (trainImages < 0 || e < 1 || b < 1) {
      warmup = 0;
    } else {
      warmup = p.warmupSteps((long) e * ((trainImages + b - 1) / b));
    }
    String decayPolicy = decay != null ? decay
        : initFrom != null ? DecayPolicy.EXCEPT_PROMPT.cliName() : DecayPolicy.ALL.cliName();
    return new TrainingSettings(e, b, lr != null ? lr : p.learningRate(),
        weightDecay != null ? weightDecay : p.weightDecay(), optimizer != null ? optimizer : p.optimizer(), decayPolicy,
        schedule != null ? schedule : p.schedule(), warmup, seed, valSplit, augment != null ? augment : p.augment(),
        threads, evalBatchSize, p.name());
  }

  /** Whether the warm-up was given, rather than derived from the data by the protocol. */
  boolean warmupGiven() {
    return warmupSteps != null || Protocol.parse(protocol == null ? Protocol.MSVP.name() : protocol).warmupFraction() == 0;
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

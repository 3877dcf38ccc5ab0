package dev.vprompt.cli;

import dev.vprompt.core.data.ClassSelection;
import dev.vprompt.core.run.Protocol;
import dev.vprompt.core.run.RunConfig;
import dev.vprompt.core.run.Summary;
import dev.vprompt.core.run.TrainingSettings;
import dev.vprompt.core.run.TransferSettings;
import dev.vprompt.graph.InvalidOptionException;
import dev.vprompt.ops.placement.ClusterSpec;
import dev.vprompt.ops.placement.SessionSpec;
import dev.vprompt.train.TrainRequest;
import dev.vprompt.train.Training;
import dev.vprompt.train.trainer.TrainingStop;
import dev.vprompt.train.trainer.TrainingStoppedException;
import dev.vprompt.train.tensorboard.TensorBoardOptions;
import dev.vprompt.train.tensorboard.TensorBoardSettings;
import dev.vprompt.train.optim.DecayPolicy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import dev.vprompt.graph.InputResize;
import dev.vprompt.graph.InputResize.Interpolation;
import dev.vprompt.graph.backbones.Backbones;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vprompt train}: parses its options into a {@link TrainRequest}, runs it with {@link Training}
 * and prints what happens.
 */
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
      + "sh/cifar10.sh, utils/args.py and train/trainer.py (its timm Mixup); linear-probe: LoR-VP's script values.";

  @Spec CommandSpec spec;

  @Mixin ModelOptions model;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Run directory (default: runs/DATASET-BACKBONE-PROMPT-sSEED).")
  Path outDir;

  @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint; other options are read from its config.json.")
  boolean resume;

  @Option(names = "--restart", description = "Train the run in --out again from epoch 1 with its config.json, after "
      + "moving its results (metrics, checkpoints, summary, evaluations) into OUT/set-aside-TIME/: nothing is deleted.")
  boolean restart;

  @Mixin DataLimitOptions limits;

  @Option(names = "--threads", defaultValue = "0", description = "TensorFlow intra-op threads; 0 uses every core (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--eval-batch-size", defaultValue = "1000", description = "Batch size of validation and test passes (default: ${DEFAULT-VALUE}).")
  int evalBatchSize;

  @Option(names = "--tensorboard", paramLabel = "off|DIR",
      description = "TensorBoard event files, written by the training graph's summary ops after each epoch "
          + "(default: OUT/tensorboard; --resume keeps the run's own unless given).")
  String tensorboard;

  @Option(names = "--tensorboard-images-every", paramLabel = "N",
      description = "Log the prompt maps as images every N epochs and at the last (default: "
          + TensorBoardSettings.DEFAULT_IMAGES_EVERY + ").")
  Integer tensorboardImagesEvery;

  @Option(names = "--verbose", description = "TensorFlow's own logging and stack traces on errors.")
  boolean verbose;

  @ArgGroup(validate = false, heading = "%nData:%n", order = 1)
  DataOptions data = new DataOptions();

  @ArgGroup(validate = false, heading = "%nTraining:%n", order = 2)
  OptimisationOptions training = new OptimisationOptions();

  @ArgGroup(validate = false, heading = "%nTransfer (initial weights and freezing):%n", order = 3)
  TransferOptions transfer = new TransferOptions();

  @ArgGroup(validate = false, heading = "%nDevices and clusters (see docs/distributed.md):%n", order = 5)
  PlacementOptions placement = new PlacementOptions();

  static final class DataOptions {
    @Option(names = "--data", paramLabel = "SPEC",
        description = "Dataset: fashion-mnist:DIR, mnist:DIR, cifar10:DIR, cifar100:DIR, idx:DIR, folder:DIR "
            + "(default: the embedded Fashion-MNIST subset).")
    String data;

    @Option(names = "--data-classes", paramLabel = "LIST",
        description = "Keep only these classes, renumbered from 0 in the order given, e.g. 0-4 or 5,6,7,8,9.")
    String dataClasses;

    @Option(names = "--train-per-class", paramLabel = "N",
        description = "Keep at most N training images per class (the first in file order), e.g. for few-shot "
            + "adaptation; validation is split from what is kept, the test split stays whole.")
    Integer trainPerClass;

    @Option(names = "--val-split", defaultValue = "0.1", description = "Fraction of the training set held out for validation (default: ${DEFAULT-VALUE}).")
    double valSplit = 0.1;

    @Option(names = "--augment", description = "auto (the MSVP paper's per dataset), none, digits (crop + rotation) or "
        + "natural (crop + flip), each optionally followed by +mix: InsVP's per-batch mixup 0.8 / cutmix 1.0 (prob "
        + "0.5, switch 0.5) with label smoothing 0.1 and a soft-target loss (protocol default: msvp auto; "
        + "lor-vp/lotep/linear-probe none, the LoR-VP script's randomcrop=0; insvp natural+mix, its resize + random "
        + "crop + flip and its timm Mixup).")
    String augment;

    @Option(names = "--resize", paramLabel = "SIZE|native|auto|none", defaultValue = "auto",
        description = "Resize each batch in the graph to SIZExSIZE before augmentation, normalisation, the prompt and "
            + "the backbone (the data stays resident at its stored size); native: the backbone's pretraining size "
            + "(224 for vit-b16, resnet50-in, swin-b, convnext-b, ...); auto: native for a backbone that declares one "
            + "(the papers' Resize(224)), none for the backbones trained here at the data's size (default: "
            + "${DEFAULT-VALUE}).")
    String resize = "auto";

    @Option(names = "--interpolation", defaultValue = "bilinear",
        description = "The resize's interpolation: bilinear (half-pixel centres, no antialiasing: torchvision's Resize "
            + "on tensors with antialias=False, the papers' upsampling) or nearest (default: ${DEFAULT-VALUE}).")
    String interpolation = "bilinear";
  }

  static final class OptimisationOptions {
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
        + "insvp 20%% of the run's steps, its 20 warm-up epochs of 100).")
    Integer warmupSteps;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the split, the shuffles, the initialisation, dropout and augmentation (default: ${DEFAULT-VALUE}).")
    long seed = 42;
  }

  static final class TransferOptions {
    @Option(names = "--init-from", paramLabel = "RUN|PREFIX",
        description = "Initialise from a vprompt run directory (backbone, and head with --head keep) or a TensorFlow "
            + "checkpoint prefix (with --init-map).")
    String initFrom;

    @Option(names = "--init-checkpoint", paramLabel = "WHICH", defaultValue = "best",
        description = "Which checkpoint of the --init-from run: best or last (default: ${DEFAULT-VALUE}).")
    String initCheckpoint = "best";

    @Option(names = "--init-map", paramLabel = "FILE",
        description = "For a TensorFlow checkpoint: lines of 'checkpoint_name variable_name'; unmatched or mis-shaped "
            + "names are errors.")
    String initMap;

    @Option(names = "--freeze", paramLabel = "WHAT", defaultValue = "none",
        description = "backbone: train only the prompt and the head, batch-norm statistics fixed (prompting and linear "
            + "probing); none: train everything (fine-tuning) (default: ${DEFAULT-VALUE}).")
    String freeze = "none";

    @Option(names = "--normalization", paramLabel = "FROM", defaultValue = "auto",
        description = "Input normalisation statistics: auto (the source run's with a run directory as --init-from, "
            + "ImageNet's with a checkpoint prefix on RGB data, else the training split's), source, imagenet or "
            + "target (this run's training split) (default: ${DEFAULT-VALUE}).")
    String normalization = "auto";

    @Option(names = "--head", paramLabel = "HEAD", defaultValue = "new",
        description = "new: a fresh classification head; keep: restore the --init-from run's head, of the same classes, or "
            + "of any classes through --label-map (default: ${DEFAULT-VALUE}).")
    String head = "new";

    @Option(names = "--label-map", paramLabel = "MAP",
        description = "With --head keep: map the kept source head's classes to the target's, in the graph (eval, "
            + "predict and the export apply it): freq (each target class takes the source class most often "
            + "predicted for its training images, one-to-one, computed once before training), ilm (the same, "
            + "recomputed every epoch: ILM-VP) or fc (a learned fully connected layer on the source logits: AutoVP). "
            + "With --freeze backbone the kept head stays frozen too. Default: none (the head must have the "
            + "target's classes).")
    String labelMap;
  }

  @Override
  public Integer call() {
    limits.apply();
    if (resume && restart) {
      throw new InvalidOptionException("restart", "--resume continues a run and --restart starts it over: pass one "
          + "of them");
    }
    return stoppable(spec.commandLine().getErr(), "train", () -> run(resume || restart ? null : request()));
  }

  /**
   * Runs {@code work} registered with {@link TrainingStop}, so that a shutdown waits until a stop's message
   * is printed, not only until the session is closed; a stop exits {@link Main#EXIT_STOPPED}.
   */
  static int stoppable(PrintWriter err, String command, java.util.function.IntSupplier work) {
    TrainingStop.Running registered = TrainingStop.enter();
    try (registered) {
      try {
        return work.getAsInt();
      } catch (TrainingStoppedException e) {
        err.println("vprompt " + command + ": " + e.getMessage());
        err.flush();
        return Main.EXIT_STOPPED;
      }
    }
  }

  /** Starts the request, or with {@code --resume} (request null) continues --out; prints what happens. */
  int run(TrainRequest request) {
    PrintWriter out = spec.commandLine().getOut();
    Listener listener = new Listener(out);
    if (request == null && outDir == null) {
      String option = restart ? "restart" : "resume";
      throw new InvalidOptionException(option, "--" + option + " needs --out, the run directory to "
          + (restart ? "train again" : "continue"));
    }
    SessionSpec sessionSpec = placement.sessionSpec();
    String workerData = placement.workerData();  // validated before the cluster is contacted
    ClusterSpec cluster = placement.clusterSpec();
    if (cluster != null) {
      String down = cluster.firstUnreachable(2000);
      if (down != null) {
        throw new IllegalArgumentException("the cluster file " + placement.cluster + ": task " + down
            + " does not accept connections; start it with 'vprompt worker --cluster FILE --task N'");
      }
      out.printf(Locale.ROOT, "cluster: %d worker towers (%s batch-norm), variables on %s, master %s%n",
          cluster.workers(), sessionSpec.layout().syncBatchNorm() ? "synchronised" : "per-tower",
          cluster.variableDevice(), cluster.masterTarget());
    } else if (sessionSpec.layout().parallel()) {
      out.printf(Locale.ROOT, "towers: %s (%s batch-norm), variables on %s%n", sessionSpec.layout().towers(),
          sessionSpec.layout().syncBatchNorm() ? "synchronised" : "per-tower", sessionSpec.layout().variables());
    }
    Training.Result result;
    try {
      if (request == null) {
        result = restart ? Training.restart(outDir, tensorBoard(), sessionSpec, workerData, listener)
            : Training.resume(outDir, tensorBoard(), sessionSpec, workerData, listener);
      } else {
        result = Training.start(request, tensorBoard(), sessionSpec, workerData, listener);
      }
    } catch (RuntimeException e) {
      throw cluster == null ? e : ClusterFailure.explain(e, cluster, outDir);
    }
    Summary s = result.summary();
    out.printf(Locale.ROOT, "best epoch %d: val acc %.4f, test acc %.4f (best) / %.4f (last); %.1f s, %.0f img/s%n",
        s.bestEpoch(), s.bestValAcc(), s.testAccBest(), s.testAccLast(), s.trainSeconds(), s.trainImagesPerSec());
    out.println("summary: " + result.run().summary());
    return 0;
  }

  private TensorBoardOptions tensorBoard() {
    return new TensorBoardOptions(tensorboard, tensorboardImagesEvery);
  }

  /** What the options say, validated: fails naming the option on a bad value. */
  TrainRequest request() {
    TrainingSettings settings = trainingSettings();
    Training.optimizerConfig(settings);
    TransferSettings transferSettings = new TransferSettings(transfer.initFrom, transfer.initCheckpoint,
        transfer.initMap, transfer.freeze, transfer.head, transfer.normalization, transfer.labelMap, null);
    List<Integer> classes = data.dataClasses == null ? null
        : Arrays.stream(ClassSelection.parse(data.dataClasses)).boxed().toList();
    double warmupFraction = training.warmupSteps != null ? 0 : protocol().warmupFraction();
    return new TrainRequest(data.data, classes, data.trainPerClass, model.backbone(), model.patchSize,
        model.promptSettings(), settings, transferSettings, outDir, warmupFraction, resize(model.backbone()));
  }

  private Protocol protocol() {
    try {
      return Protocol.parse(training.protocol == null ? Protocol.MSVP.name() : training.protocol);
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException("protocol", e.getMessage());
    }
  }

  /**
   * The training settings: each option given, else the protocol's value (msvp without --protocol). A
   * protocol's warm-up fraction becomes steps once the data is known ({@link TrainRequest#warmupFraction}).
   */
  TrainingSettings trainingSettings() {
    OptimisationOptions t = training;
    Protocol p = protocol();
    String decayPolicy = t.decay != null ? t.decay
        : transfer.initFrom != null ? DecayPolicy.EXCEPT_PROMPT.cliName() : DecayPolicy.ALL.cliName();
    return new TrainingSettings(t.epochs != null ? t.epochs : p.epochs(),
        t.batchSize != null ? t.batchSize : p.batchSize(), t.lr != null ? t.lr : p.learningRate(),
        t.weightDecay != null ? t.weightDecay : p.weightDecay(), t.optimizer != null ? t.optimizer : p.optimizer(),
        decayPolicy, t.schedule != null ? t.schedule : p.schedule(), t.warmupSteps != null ? t.warmupSteps : 0, t.seed,
        data.valSplit, data.augment != null ? data.augment : p.augment(), threads, evalBatchSize, p.name());
  }

  /** --resize and --interpolation, or null for none. */
  private InputResize resize(String backbone) {
    Interpolation interpolation = Interpolation.parse(data.interpolation);
    String text = data.resize == null ? "auto" : data.resize.trim();
    if (text.equals("none") || text.equals("auto") && Backbones.nativeSize(backbone) == null) {
      return null;
    }
    if (text.equals("auto")) {
      return new InputResize(Backbones.nativeSize(backbone), interpolation);
    }
    if (text.equals("native")) {
      Integer size = Backbones.nativeSize(backbone);
      if (size == null) {
        throw new InvalidOptionException("resize", "--resize native: " + backbone
            + " declares no pretraining size (it is trained here at the data's size); give a size");
      }
      return new InputResize(size, interpolation);
    }
    try {
      return new InputResize(Integer.parseInt(text), interpolation);
    } catch (NumberFormatException e) {
      throw new InvalidOptionException("resize", "--resize takes a size in pixels, native, auto or none, got '" + text + "'");
    }
  }

  /** The plan's two lines, then the trainer's progress on the console. */
  private static final class Listener extends ConsoleProgress implements Training.Listener {
    private final PrintWriter out;

    Listener(PrintWriter out) {
      super(out, ConsoleProgress.interactive());
      this.out = out;
    }

    @Override
    public void planned(Training.Plan plan) {
      RunConfig config = plan.config();
      out.printf(Locale.ROOT, "%s: %d train / %d validation / %d test images of %s, %d classes%n",
          config.datasetName(), plan.trainImages(), plan.validationImages(), plan.testImages(), config.input(),
          config.classNames().size());
      out.printf(Locale.ROOT, "model: %s + %s; augmentation: %s; run directory: %s%n", config.backbone(),
          config.prompt().label(), plan.augmentation().describe(), plan.dir());
      TrainingSettings t = config.training();
      out.printf(Locale.ROOT, "protocol %s: %s lr %s, %s, warm-up %d steps, weight decay %s (%s), batch %d, %d epochs; "
          + "normalisation: %s%n", t.protocol(), t.optimizer(), t.learningRate(), t.schedule(), t.warmupSteps(),
          t.weightDecay(), t.decay(), t.batchSize(), t.epochs(), config.transferOrScratch().normalization() == null
              ? "target" : config.transferOrScratch().normalization());
    }
  }
}

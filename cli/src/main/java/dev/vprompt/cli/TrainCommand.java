package dev.vprompt.cli;

import dev.vprompt.core.data.ClassSelection;
import dev.vprompt.core.run.RunConfig;
import dev.vprompt.core.run.Summary;
import dev.vprompt.core.run.TrainingSettings;
import dev.vprompt.core.run.TransferSettings;
import dev.vprompt.graph.InvalidOptionException;
import dev.vprompt.train.TrainRequest;
import dev.vprompt.train.Training;
import dev.vprompt.train.tensorboard.TensorBoardOptions;
import dev.vprompt.train.tensorboard.TensorBoardSettings;
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

    @Option(names = "--resize", paramLabel = "SIZE|native|none", defaultValue = "none",
        description = "Resize each batch in the graph to SIZExSIZE before the prompt and the backbone (the data stays "
            + "resident at its stored size); native: the backbone's pretraining size (224 for vit-b16, resnet50-in, "
            + "swin-b, convnext-b, ...) (default: ${DEFAULT-VALUE}).")
    String resize = "none";

    @Option(names = "--interpolation", defaultValue = "bilinear",
        description = "The resize's interpolation: bilinear (half-pixel centres, no antialiasing: torchvision's Resize "
            + "on tensors with antialias=False, the papers' upsampling) or nearest (default: ${DEFAULT-VALUE}).")
    String interpolation = "bilinear";

    @Option(names = "--augment", defaultValue = "auto", description = "auto (the paper's per dataset), none, digits (crop + rotation) or natural (crop + flip) (default: ${DEFAULT-VALUE}).")
    String augment = "auto";
  }

  static final class OptimisationOptions {
    @Option(names = "--epochs", defaultValue = "10", description = "Epochs (default: ${DEFAULT-VALUE}; the paper: 10 for MNIST/Fashion-MNIST, 150 for CIFAR-10).")
    int epochs = 10;

    @Option(names = "--batch-size", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize = 128;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Base learning rate (default: ${DEFAULT-VALUE}).")
    double lr = 1e-3;

    @Option(names = "--weight-decay", defaultValue = "1e-4", description = "Weight decay (default: ${DEFAULT-VALUE}; coupled L2 for adam and sgd, decoupled for adamw).")
    double weightDecay = 1e-4;

    @Option(names = "--optimizer", defaultValue = "adam", description = "adam (PyTorch Adam with L2, the paper's), adamw or sgd (momentum 0.9) (default: ${DEFAULT-VALUE}).")
    String optimizer = "adam";

    @Option(names = "--decay", defaultValue = "all", description = "Which weights decay: all (the paper's, as PyTorch's Adam) or selective (kernels only) (default: ${DEFAULT-VALUE}).")
    String decay = "all";

    @Option(names = "--schedule", defaultValue = "cosine", description = "Learning-rate schedule: cosine (per epoch, the paper's), cosine-step, constant (default: ${DEFAULT-VALUE}).")
    String schedule = "cosine";

    @Option(names = "--warmup-steps", defaultValue = "0", description = "Linear warm-up steps before the schedule (default: ${DEFAULT-VALUE}).")
    int warmupSteps;

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

    @Option(names = "--head", paramLabel = "HEAD", defaultValue = "new",
        description = "new: a fresh classification head; keep: restore the --init-from run's head (default: ${DEFAULT-VALUE}).")
    String head = "new";
  }

  @Override
  public Integer call() {
    limits.apply();
    if (resume && restart) {
      throw new InvalidOptionException("restart", "--resume continues a run and --restart starts it over: pass one "
          + "of them");
    }
    return run(resume || restart ? null : request());
  }

  /** Starts the request, or with {@code --resume} (request null) continues --out; prints what happens. */
  int run(TrainRequest request) {
    PrintWriter out = spec.commandLine().getOut();
    Listener listener = new Listener(out);
    Training.Result result;
    if (request == null) {
      String option = restart ? "restart" : "resume";
      if (outDir == null) {
        throw new InvalidOptionException(option, "--" + option + " needs --out, the run directory to "
            + (restart ? "train again" : "continue"));
      }
      result = restart ? Training.restart(outDir, tensorBoard(), listener) : Training.resume(outDir, tensorBoard(), listener);
    } else {
      result = Training.start(request, tensorBoard(), listener);
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
    OptimisationOptions t = training;
    TrainingSettings settings = new TrainingSettings(t.epochs, t.batchSize, t.lr, t.weightDecay, t.optimizer, t.decay,
        t.schedule, t.warmupSteps, t.seed, data.valSplit, data.augment, threads, evalBatchSize);
    Training.optimizerConfig(settings);
    TransferSettings transferSettings = new TransferSettings(transfer.initFrom, transfer.initCheckpoint,
        transfer.initMap, transfer.freeze, transfer.head);
    List<Integer> classes = data.dataClasses == null ? null
        : Arrays.stream(ClassSelection.parse(data.dataClasses)).boxed().toList();
    return new TrainRequest(data.data, classes, data.trainPerClass, model.backbone(), model.patchSize,
        model.promptSettings(), settings, transferSettings, outDir, resize(model.backbone()));
  }

  /** --resize and --interpolation, or null for none. */
  private InputResize resize(String backbone) {
    Interpolation interpolation = Interpolation.parse(data.interpolation);
    String text = data.resize == null ? "none" : data.resize.trim();
    if (text.equals("none")) {
      return null;
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
      throw new InvalidOptionException("resize", "--resize takes a size in pixels, native or none, got '" + text + "'");
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
    }
  }
}

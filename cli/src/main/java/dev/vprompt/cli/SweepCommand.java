package dev.vprompt.cli;

import dev.vprompt.graph.InvalidOptionException;
import dev.vprompt.core.run.RunConfig;
import dev.vprompt.core.run.RunDirectory;
import dev.vprompt.core.run.TrainingSettings;
import dev.vprompt.studies.sweep.RunState;
import dev.vprompt.studies.sweep.Setting;
import dev.vprompt.studies.sweep.Shard;
import dev.vprompt.studies.sweep.SweepExecutor;
import dev.vprompt.studies.sweep.SweepFileException;
import dev.vprompt.studies.sweep.SweepFileReader;
import dev.vprompt.studies.sweep.SweepGrid;
import dev.vprompt.studies.sweep.SweepRun;
import dev.vprompt.studies.sweep.SweepSpec;
import dev.vprompt.studies.sweep.TrainOptions;
import dev.vprompt.train.TrainRequest;
import dev.vprompt.train.Training;
import dev.vprompt.core.run.DirectoryLock;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vprompt sweep}: trains every run of a grid, one after another, resumable and shardable. */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Trains every run of the grid a sweep file describes (datasets x backbones x prompts x seeds, and any other "
          + "'vprompt train' option), one after another in this process, each into OUT/<run name>. Finished runs "
          + "(summary.json) are skipped and stopped ones (config.json only) resumed, so a sweep started again "
          + "continues where it stopped. Presets: presets/table1.yaml, table3.yaml, table4.yaml.",
      "",
      "Example: vprompt sweep presets/table1.yaml --set datasets=fashion-mnist:/usr/share/datasets/fashion-mnist "
          + "--set backbones=cnn --out runs/table1"
    })
final class SweepCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SPEC", description = "The sweep file (YAML, or JSON when it ends in .json).")
  Path file;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Directory of the sweep's runs (default: runs/<sweep file name>).")
  Path outDir;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override the file: datasets, backbones, prompts, seeds (comma-separated lists), epochs (every "
          + "run's), or any train option, e.g. --set epochs=1 --set seeds=42,43 --set threads=2. Repeatable.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--shard", paramLabel = "i/n", defaultValue = "0/1",
      description = "Run only the runs k with k mod n = i, so that n machines share the grid (default: ${DEFAULT-VALUE}).")
  String shard;

  @Option(names = "--dry-run", description = "List the runs, their state and their train arguments; train nothing.")
  boolean dryRun;

  @Option(names = "--verbose", description = "Stack traces on errors.")
  boolean verbose;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Shard part = Shard.parse(shard);
    TrainOptions options = trainOptions();
    SweepSpec sweep = new SweepFileReader(options).read(file, overrides);
    List<SweepRun> grid = SweepGrid.expand(sweep);
    Path root = outDir != null ? outDir : Path.of("runs", baseName(file));
    for (SweepRun run : grid) {
      check(run, root, options);
    }
    List<SweepRun> mine = grid.stream().filter(part::contains).toList();
    SweepExecutor executor = new SweepExecutor(root, options, args -> train(args, out, err), this::requireSameRun, out);
    if (dryRun) {
      printPlan(out, executor, mine, grid.size(), root, options);
      return 0;
    }
    sweep.requireDataPresent();
    out.printf(Locale.ROOT, "sweep %s: %d runs, %d in shard %s, into %s%n", file, grid.size(), mine.size(), part, root);
    createDirectory(root);
    // one sweep per shard at a time; each run also takes its own lock in train
    try (DirectoryLock lock = DirectoryLock.acquire(root, ".vprompt-shard-" + part.toString().replaceAll("[^0-9]+", "-") + ".lock",
        " for shard " + part)) {
      return TrainCommand.stoppable(err, "sweep", () -> finish(out, executor.execute(mine, grid.size())));
    }
  }

  private static void createDirectory(Path root) {
    try {
      java.nio.file.Files.createDirectories(root);
    } catch (java.io.IOException e) {
      throw dev.vprompt.core.run.DiskSpace.writeFailure(root, e);
    }
  }

  private int finish(PrintWriter out, List<SweepExecutor.Outcome> outcomes) {
    int[] counts = new int[SweepExecutor.Action.values().length];
    outcomes.forEach(o -> counts[o.action().ordinal()]++);
    out.printf(Locale.ROOT, "sweep finished: %d trained, %d resumed, %d skipped (finished before), %d failed%n",
        counts[SweepExecutor.Action.TRAINED.ordinal()], counts[SweepExecutor.Action.RESUMED.ordinal()],
        counts[SweepExecutor.Action.SKIPPED.ordinal()], counts[SweepExecutor.Action.FAILED.ordinal()]);
    List<String> failed = outcomes.stream().filter(o -> o.action() == SweepExecutor.Action.FAILED)
        .map(o -> o.run().name()).toList();
    if (!failed.isEmpty()) {
      out.println("failed runs (start the sweep again to retry them): " + String.join(", ", failed));
    }
    out.flush();
    return failed.isEmpty() ? 0 : Main.EXIT_FAILURE;
  }

  private void printPlan(PrintWriter out, SweepExecutor executor, List<SweepRun> runs, int gridSize, Path root,
      TrainOptions options) {
    List<RunState> states = executor.inspect(runs);
    out.printf(Locale.ROOT, "sweep %s: %d runs, %d in shard %s, into %s%n", file, gridSize, runs.size(), shard, root);
    for (int i = 0; i < runs.size(); i++) {
      SweepRun run = runs.get(i);
      String action = switch (states.get(i)) {
        case DONE -> "skip (finished)";
        case PARTIAL -> "resume";
        default -> "train";
      };
      out.printf(Locale.ROOT, "[%d/%d] %-16s vprompt train %s%n", run.index() + 1, gridSize, action,
          String.join(" ", run.trainArguments(root.resolve(run.name()), options)));
    }
    out.flush();
  }

  /**
   * Trains (or resumes) one run in this process: its arguments parsed as {@code vprompt train} parses them
   * into a {@link TrainRequest}, run through {@link Training}; failures reported as train reports them.
   */
  private static int train(List<String> args, PrintWriter out, PrintWriter err) {
    CommandLine line = new CommandLine(new TrainCommand());
    line.setOut(out);
    line.setErr(err);
    TrainCommand command = line.getCommand();
    try {
      line.parseArgs(args.toArray(String[]::new));
      return command.run(command.resume ? null : command.request());
    } catch (CommandLine.ParameterException e) {
      return ErrorHandler.onBadArguments(e, args.toArray(String[]::new));
    } catch (dev.vprompt.train.trainer.TrainingStoppedException e) {
      throw e; // a signal stops the sweep, not only this run
    } catch (Exception e) {
      return new ErrorHandler().handleExecutionException(e, line, line.getParseResult());
    }
  }

  /** Every long option of {@code vprompt train}, so a sweep file takes exactly what train takes. */
  static TrainOptions trainOptions() {
    Set<String> names = new HashSet<>();
    Set<String> flags = new HashSet<>();
    for (OptionSpec option : new CommandLine(new TrainCommand()).getCommandSpec().options()) {
      String name = TrainOptions.canonical(option.longestName());
      names.add(name);
      if (option.arity().max() == 0) {
        flags.add(name);
      }
    }
    return new TrainOptions(names, flags);
  }

  /**
   * Parses a run's arguments as {@code vprompt train} would and runs its checks that need no data, so a
   * bad number or range fails now, naming the line that set it, rather than hours into the sweep.
   */
  private static TrainRequest check(SweepRun run, Path root, TrainOptions options) {
    TrainCommand train = new TrainCommand();
    try {
      new CommandLine(train).parseArgs(run.trainArguments(root.resolve(run.name()), options).toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      String option = e.getArgSpec() instanceof OptionSpec o ? TrainOptions.canonical(o.longestName()) : null;
      throw blame(run, option, e.getMessage());
    }
    try {
      return train.request();
    } catch (InvalidOptionException e) {
      throw blame(run, e.option(), e.getMessage());
    } catch (IllegalArgumentException e) {
      throw blame(run, null, e.getMessage());
    }
  }

  private static IllegalArgumentException blame(SweepRun run, String option, String problem) {
    Setting setting = option == null ? null : run.setting(option);
    if (setting == null) {
      return new IllegalArgumentException("run " + run.name() + ": " + problem);
    }
    return new SweepFileException(setting.origin(), setting.key(), problem);
  }

  /**
   * A run directory the sweep finds (finished or stopped) must have been started with the sweep's
   * settings for that run: otherwise skipping or resuming it would put a different experiment in the
   * table under this name.
   */
  private void requireSameRun(SweepRun run, Path dir) {
    TrainRequest expected = check(run, dir.getParent(), trainOptions());
    RunConfig config = RunDirectory.existing(dir).readConfig();
    List<String> differences = new ArrayList<>();
    String data = expected.data() == null ? "embedded" : expected.data();
    compare(differences, "data", config.data(), data);
    compare(differences, "backbone", config.backbone(), expected.backbone());
    compare(differences, "patch-size", config.patchSize(), expected.patchSize());
    compare(differences, "prompt", config.prompt(), expected.prompt());
    TrainingSettings want = expected.training();
    TrainingSettings have = config.training();
    for (java.lang.reflect.RecordComponent field : TrainingSettings.class.getRecordComponents()) {
      // threads and the eval batch size change speed, not the experiment
      // a protocol's warm-up is a fraction of the run's steps, known only with the data
      boolean derived = field.getName().equals("warmupSteps") && expected.warmupFraction() > 0;
      if (!field.getName().equals("threads") && !field.getName().equals("evalBatchSize") && !derived
          && !(field.getName().equals("protocol") && have.protocol() == null)) {
        compare(differences, field.getName(), read(field, have), read(field, want));
      }
    }
    if (!differences.isEmpty()) {
      throw new IllegalArgumentException(dir.resolve("config.json") + ": this run was started with other settings "
          + "than the sweep's run " + run.name() + ": " + String.join("; ", differences)
          + ". Use another --out, or move the run away");
    }
  }

  private static Object read(java.lang.reflect.RecordComponent field, Object record) {
    try {
      return field.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void compare(List<String> differences, String what, Object have, Object want) {
    if (!Objects.equals(have, want)) {
      differences.add(what + " " + have + " in the run, " + want + " in the sweep");
    }
  }

  private static String baseName(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}

package dev.vprompt.studies.sweep;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Runs a sweep's runs one after another, each into {@code ROOT/<run name>}: finished runs (with a
 * summary.json) are skipped, stopped ones (config.json, no summary) resumed, the rest trained. Nothing
 * is shared between runs but the directory, so a sweep killed at any moment continues where it
 * stopped when started again, and shards on several machines never touch each other's runs.
 */
public final class SweepExecutor {

  /** Runs {@code vprompt train} with these arguments (in this process) and returns its exit code. */
  @FunctionalInterface
  public interface TrainLauncher {
    int train(List<String> arguments);
  }

  /** Rejects an existing run directory that was started with other settings than the sweep's run. */
  @FunctionalInterface
  public interface ExistingRunCheck {
    void requireSame(SweepRun run, Path dir);
  }

  public enum Action { SKIPPED, TRAINED, RESUMED, FAILED }

  public record Outcome(SweepRun run, Action action, int exitCode, double seconds) {}

  private final Path root;
  private final TrainOptions options;
  private final TrainLauncher launcher;
  private final ExistingRunCheck check;
  private final PrintWriter out;

  public SweepExecutor(Path root, TrainOptions options, TrainLauncher launcher, ExistingRunCheck check,
      PrintWriter out) {
    this.root = root;
    this.options = options;
    this.launcher = launcher;
    this.check = check;
    this.out = out;
  }

  /** What each run's directory holds now; fails before training anything on a directory it must not touch. */
  public List<RunState> inspect(List<SweepRun> runs) {
    List<RunState> states = new ArrayList<>();
    for (SweepRun run : runs) {
      Path dir = root.resolve(run.name());
      RunState state = RunState.of(dir);
      if (state == RunState.FOREIGN) {
        throw new IllegalArgumentException(dir + ": exists and holds files but no config.json; not a run the sweep "
            + "can resume. Move it away or choose another --out");
      }
      if (state == RunState.DONE || state == RunState.PARTIAL) {
        check.requireSame(run, dir);
      }
      states.add(state);
    }
    return states;
  }

  /** Runs every run of the list (already restricted to this shard); returns what happened to each. */
  public List<Outcome> execute(List<SweepRun> runs, int gridSize) {
    List<RunState> states = inspect(runs);
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      SweepRun run = runs.get(i);
      Path dir = root.resolve(run.name());
      String tag = String.format(Locale.ROOT, "[%d/%d] %s", run.index() + 1, gridSize, run.name());
      RunState state = RunState.of(dir); // again: another shard or an earlier run may have changed it
      if (state == RunState.DONE) {
        out.println(tag + ": finished before, skipped");
        outcomes.add(new Outcome(run, Action.SKIPPED, 0, 0));
        continue;
      }
      if (state == RunState.STALE) {
        deleteEmptyDirectories(dir);
      }
      boolean resume = state == RunState.PARTIAL;
      out.println(tag + (resume ? ": resuming" : ": training"));
      out.flush();
      long start = System.nanoTime();
      List<String> arguments = resume ? List.of("--resume", "--out", dir.toString())
          : run.trainArguments(dir, options);
      int code = launcher.train(arguments);
      double seconds = (System.nanoTime() - start) / 1e9;
      Action action = code != 0 ? Action.FAILED : resume ? Action.RESUMED : Action.TRAINED;
      out.printf(Locale.ROOT, "%s: %s (%.1f s)%n", tag, code == 0 ? "done" : "FAILED with exit code " + code, seconds);
      out.flush();
      outcomes.add(new Outcome(run, action, code, seconds));
    }
    return outcomes;
  }

  private static void deleteEmptyDirectories(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p); // only directories and a dead writer's lock file: RunState.STALE checked it
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear the stale run directory " + dir + ": " + e.getMessage(), e);
    }
  }
}

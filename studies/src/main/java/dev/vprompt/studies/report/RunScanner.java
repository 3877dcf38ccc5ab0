package dev.vprompt.studies.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the runs under the report's inputs: a run directory (config.json) is taken as it is; any other
 * directory is searched a few levels down (a sweep's directory, or a directory of sweeps). Runs without
 * summary.json are unfinished: listed, not reported.
 */
public final class RunScanner {

  /** Deep enough for runs/SWEEP/RUN under a common parent; runs are not searched inside. */
  private static final int MAX_DEPTH = 3;

  public record Scan(List<RunRecord> finished, List<Path> unfinished) {}

  private RunScanner() {}

  public static Scan scan(List<Path> inputs) {
    Set<Path> runDirs = new LinkedHashSet<>();
    for (Path input : inputs) {
      if (!Files.isDirectory(input)) {
        throw new IllegalArgumentException(input + ": no such directory");
      }
      int before = runDirs.size();
      collect(input.normalize(), 0, runDirs);
      if (runDirs.size() == before) {
        throw new IllegalArgumentException(input + ": no runs there (no config.json in it or in its subdirectories)");
      }
    }
    List<RunRecord> finished = new ArrayList<>();
    List<Path> unfinished = new ArrayList<>();
    for (Path dir : runDirs) {
      if (Files.isRegularFile(dir.resolve("summary.json"))) {
        finished.add(RunRecord.read(dir));
      } else {
        unfinished.add(dir);
      }
    }
    return new Scan(finished, unfinished);
  }

  private static void collect(Path dir, int depth, Set<Path> runDirs) {
    if (Files.isRegularFile(dir.resolve("config.json"))) {
      runDirs.add(dir);
      return;
    }
    if (depth >= MAX_DEPTH) {
      return;
    }
    try (Stream<Path> children = Files.list(dir)) {
      for (Path child : children.filter(Files::isDirectory).sorted().toList()) {
        collect(child, depth + 1, runDirs);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }
}

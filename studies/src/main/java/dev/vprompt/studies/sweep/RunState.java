package dev.vprompt.studies.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What a sweep finds in a run's directory, which decides whether it trains, resumes or skips it. */
public enum RunState {
  /** Nothing there yet (or an empty directory): train from scratch. */
  NEW,
  /**
   * Only empty directories (and a lock file or a half-made temp file), left by a run killed before it
   * wrote config.json: remove them and train.
   */
  STALE,
  /** config.json but no summary.json: a run that was stopped; resume it. */
  PARTIAL,
  /** summary.json: finished; skip it. */
  DONE,
  /** Files, but no config.json: not a run, and not the sweep's to delete. */
  FOREIGN;

  public static RunState of(Path dir) {
    if (!Files.exists(dir)) {
      return NEW;
    }
    if (Files.isRegularFile(dir.resolve("summary.json"))) {
      return DONE;
    }
    if (Files.isRegularFile(dir.resolve("config.json"))) {
      return PARTIAL;
    }
    if (!Files.isDirectory(dir)) {
      return FOREIGN;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      boolean onlyDirectories = all.allMatch(p -> Files.isDirectory(p) || dev.vprompt.core.run.RunDirectory.isLeftover(p));
      if (!onlyDirectories) {
        return FOREIGN;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty() ? NEW : STALE;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
    }
  }
}

package dev.vprompt.core.run;

import dev.vprompt.graph.InvalidOptionException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A run's directory: {@code config.json}, {@code metrics.jsonl}, {@code summary.json} and {@code
 * checkpoints/best}, {@code checkpoints/last}.
 */
public final class RunDirectory {

  private final Path root;

  private RunDirectory(Path root) {
    this.root = root;
  }

  /** A new run: the directory must not exist or be empty. Nothing is written yet. */
  public static RunDirectory fresh(Path root) {
    if (Files.exists(root) && !isEmptyDirectory(root)) {
      throw new IllegalArgumentException(
          root + ": already exists and is not empty; pass --resume to continue that run, or another --out");
    }
    return new RunDirectory(root);
  }

  /** An existing run, for resume, eval and export: its config.json must be there. */
  public static RunDirectory existing(Path root) {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException(root + ": no such run directory");
    }
    RunDirectory run = new RunDirectory(root);
    if (!Files.isRegularFile(run.config())) {
      throw new IllegalArgumentException(run.config() + ": missing; not a vprompt run directory");
    }
    return run;
  }

  private static boolean isEmptyDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  public Path root() {
    return root;
  }

  public Path config() {
    return root.resolve("config.json");
  }

  public Path metrics() {
    return root.resolve("metrics.jsonl");
  }

  public Path summary() {
    return root.resolve("summary.json");
  }

  public Path checkpoints() {
    return root.resolve("checkpoints");
  }

  public Path checkpoint(String which) {
    if (!which.equals("best") && !which.equals("last")) {
      throw new InvalidOptionException("checkpoint", "--checkpoint must be best or last, got '" + which + "'");
    }
    return checkpoints().resolve(which);
  }

  public void create() {
    try {
      Files.createDirectories(checkpoints());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + root + ": " + e.getMessage(), e);
    }
  }

  public void writeConfig(RunConfig config) {
    Json.writeAtomically(config(), config);
  }

  public RunConfig readConfig() {
    return Json.read(config(), RunConfig.class);
  }

  /** Appends one epoch and forces it to disk, so a killed run keeps every finished epoch. */
  public void appendMetrics(EpochMetrics metrics) {
    try (FileChannel channel = FileChannel.open(metrics(), StandardOpenOption.CREATE, StandardOpenOption.APPEND,
        StandardOpenOption.WRITE)) {
      byte[] line = (Json.LINE.writeValueAsString(metrics) + "\n").getBytes(StandardCharsets.UTF_8);
      channel.write(java.nio.ByteBuffer.wrap(line));
      channel.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + metrics() + ": " + e.getMessage(), e);
    }
  }

  public List<EpochMetrics> readMetrics() {
    List<EpochMetrics> all = new ArrayList<>();
    if (!Files.exists(metrics())) {
      return all;
    }
    try {
      int number = 0;
      for (String line : Files.readAllLines(metrics(), StandardCharsets.UTF_8)) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try {
          all.add(Json.LINE.readValue(line, EpochMetrics.class));
        } catch (IOException e) {
          throw new IllegalArgumentException(metrics() + ": line " + number + " is not an epoch record");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + metrics() + ": " + e.getMessage(), e);
    }
    return all;
  }

  /** Keeps the first {@code epochs} records: a resumed run redoes the epochs after its checkpoint. */
  public void truncateMetrics(int epochs) {
    List<EpochMetrics> kept = readMetrics().stream().filter(m -> m.epoch() <= epochs).toList();
    Path temp = root.resolve(".metrics.jsonl.tmp");
    try (BufferedWriter writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
      for (EpochMetrics m : kept) {
        writer.write(Json.LINE.writeValueAsString(m));
        writer.newLine();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite " + metrics() + ": " + e.getMessage(), e);
    }
    try {
      Files.move(temp, metrics(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite " + metrics() + ": " + e.getMessage(), e);
    }
  }

  public void writeSummary(Summary summary) {
    Json.writeAtomically(summary(), summary);
  }

  public Summary readSummary() {
    return Json.read(summary(), Summary.class);
  }
}

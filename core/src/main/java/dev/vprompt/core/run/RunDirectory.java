package dev.vprompt.core.run;

import dev.vprompt.core.checkpoint.CheckpointDirectory;
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

  /** Prefix of the folders {@code train --restart} moves earlier results into. */
  public static final String SET_ASIDE = "set-aside-";

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

  /**
   * An existing run, for resume, eval and export: its config.json must be there. When no one is writing
   * it, checkpoints left mid-swap by a crash are repaired first (see {@link #recoverCheckpoints}).
   */
  public static RunDirectory existing(Path root) {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException(root + ": no such run directory");
    }
    RunDirectory run = new RunDirectory(root);
    if (!Files.isRegularFile(run.config())) {
      throw new IllegalArgumentException(run.config() + ": missing; not a vprompt run directory");
    }
    if (Files.isWritable(root)) {
      try (DirectoryLock lock = DirectoryLock.tryAcquire(root)) {
        if (lock != null) {
          run.recoverCheckpoints(message -> {});
        }
      } catch (UncheckedIOException e) {
        // cannot lock or repair (a read-only copy, say): read it as it is
      }
    }
    return run;
  }

  /**
   * Empty, or holding only what a writer killed before config.json leaves: empty directories, its lock
   * file, a half-made temp file.
   */
  private static boolean isEmptyDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.walk(dir)) {
      return entries.allMatch(p -> Files.isDirectory(p) || isLeftover(p));
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }

  /** A lock file, or the hidden temp file of an atomic write that a kill interrupted ({@code .NAME*.tmp}). */
  public static boolean isLeftover(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    return DirectoryLock.isLockFile(file) || name.startsWith(".") && name.endsWith(".tmp");
  }

  /** The one-writer lock on this run; hold it while writing anything in the directory. */
  public DirectoryLock lock() {
    return DirectoryLock.acquire(root);
  }

  /**
   * Repairs both checkpoints after a crash in the middle of their atomic swap: the previous {@code best}
   * or {@code last} is put back when the crash left none, temp and old copies are removed. Only while
   * holding {@link #lock}: a live writer's temp directory must not be touched.
   *
   * @param report receives a line for each checkpoint that was put back
   */
  public void recoverCheckpoints(java.util.function.Consumer<String> report) {
    for (String which : List.of("best", "last")) {
      Path dir = checkpoint(which);
      try {
        if (CheckpointDirectory.recover(dir) == CheckpointDirectory.Recovery.RESTORED_PREVIOUS) {
          report.accept(dir + ": put the previous checkpoint back (a crash had interrupted its replacement)");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot repair " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * What the directory holds besides its config: results that a restart from epoch 1 would overwrite.
   * Empty for a run killed before it finished an epoch.
   */
  public List<String> results() {
    List<String> found = new ArrayList<>();
    try (Stream<Path> entries = Files.list(root)) {
      for (Path entry : entries.sorted().toList()) {
        String name = entry.getFileName().toString();
        if (name.equals("config.json") || name.startsWith(".") || name.startsWith(SET_ASIDE)) {
          continue;
        }
        if (name.equals("checkpoints")) {
          try (Stream<Path> checkpoints = Files.list(entry)) {
            checkpoints.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted()
                .forEach(n -> found.add("checkpoints/" + n));
          }
        } else if (!(name.equals("metrics.jsonl") && Files.size(entry) == 0)) {
          found.add(name);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
    }
    return found;
  }

  /**
   * Moves every result (all but config.json and earlier set-aside folders) into a new {@code
   * set-aside-<UTC time>/} folder of the run, for a restart that must not destroy them.
   *
   * @return the folder, or null when there was nothing to move
   */
  public Path setAsideResults() {
    List<String> results = results();
    if (results.isEmpty()) {
      return null;
    }
    String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
        .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
    Path aside = root.resolve(SET_ASIDE + stamp);
    try {
      for (int n = 2; Files.exists(aside); n++) {
        aside = root.resolve(SET_ASIDE + stamp + "-" + n);
      }
      Files.createDirectory(aside);
      try (Stream<Path> entries = Files.list(root)) {
        for (Path entry : entries.toList()) {
          String name = entry.getFileName().toString();
          if (!name.equals("config.json") && !name.startsWith(SET_ASIDE) && !DirectoryLock.isLockFile(entry)) {
            Files.move(entry, aside.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move the old results of " + root + " aside: " + e.getMessage(), e);
    }
    return aside;
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

  /**
   * Appends one epoch and forces it to disk, so a killed run keeps every finished epoch. A failed write
   * (a full disk) is cut back off, so the file never ends in half a record.
   */
  public void appendMetrics(EpochMetrics metrics) {
    try (FileChannel channel = FileChannel.open(metrics(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      long size = channel.size();
      byte[] line = (Json.LINE.writeValueAsString(metrics) + "\n").getBytes(StandardCharsets.UTF_8);
      try {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(line);
        while (buffer.hasRemaining()) {
          channel.write(buffer, size + buffer.position());
        }
        channel.force(true);
      } catch (IOException e) {
        try {
          channel.truncate(size);
        } catch (IOException alsoFailed) {
          e.addSuppressed(alsoFailed);
        }
        throw e;
      }
    } catch (IOException e) {
      throw DiskSpace.writeFailure(metrics(), e);
    }
  }

  public List<EpochMetrics> readMetrics() {
    List<EpochMetrics> all = new ArrayList<>();
    int number = 0;
    for (byte[] line : metricsLines()) {
      number++;
      EpochMetrics record = parseRecord(line);
      if (record == null && !isBlank(line)) {
        throw new IllegalArgumentException(metrics() + ": line " + number + " is not an epoch record");
      }
      if (record != null) {
        all.add(record);
      }
    }
    return all;
  }

  private List<byte[]> metricsLines() {
    List<byte[]> lines = new ArrayList<>();
    if (!Files.exists(metrics())) {
      return lines;
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(metrics());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + metrics() + ": " + e.getMessage(), e);
    }
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        if (i > start || i < bytes.length) {
          lines.add(java.util.Arrays.copyOfRange(bytes, start, i));
        }
        start = i + 1;
      }
    }
    return lines;
  }

  /** One record, or null when the line is blank, not UTF-8, or not an epoch record. */
  private static EpochMetrics parseRecord(byte[] line) {
    if (isBlank(line)) {
      return null;
    }
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(line)).toString();
      return Json.LINE.readValue(text, EpochMetrics.class);
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean isBlank(byte[] line) {
    for (byte b : line) {
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  /** What {@link #truncateMetrics} found: damaged lines, and where they were moved (null if none). */
  public record MetricsCut(int kept, int damaged, Path setAside) {}

  /**
   * Keeps the readable records of the first {@code epochs} epochs: a resumed run redoes the epochs after
   * its checkpoint. Lines that are not records (a half-written last line, invalid UTF-8) are moved to
   * {@code metrics.jsonl.damaged-<UTC time>} beside it rather than blocking the resume.
   */
  public MetricsCut truncateMetrics(int epochs) {
    List<EpochMetrics> kept = new ArrayList<>();
    java.io.ByteArrayOutputStream damaged = new java.io.ByteArrayOutputStream();
    int damagedLines = 0;
    for (byte[] line : metricsLines()) {
      EpochMetrics record = parseRecord(line);
      if (record != null && record.epoch() <= epochs) {
        kept.add(record);
      } else if (record == null && !isBlank(line)) {
        damaged.writeBytes(line);
        damaged.write('\n');
        damagedLines++;
      }
    }
    Path aside = null;
    if (damagedLines > 0) {
      String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
          .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
      aside = root.resolve("metrics.jsonl.damaged-" + stamp);
      try {
        Files.write(aside, damaged.toByteArray());
      } catch (IOException e) {
        throw DiskSpace.writeFailure(aside, e);
      }
    }
    Path temp = root.resolve(".metrics.jsonl.tmp");
    try {
      try (BufferedWriter writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
        for (EpochMetrics m : kept) {
          writer.write(Json.LINE.writeValueAsString(m));
          writer.newLine();
        }
      }
      Files.move(temp, metrics(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw DiskSpace.writeFailure(metrics(), e);
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // the message about the failure matters more
      }
    }
    return new MetricsCut(kept.size(), damagedLines, aside);
  }

  public void writeSummary(Summary summary) {
    Json.writeAtomically(summary(), summary);
  }

  public Summary readSummary() {
    return Json.read(summary(), Summary.class);
  }
}

package dev.vprompt.core.checkpoint;

import dev.vprompt.core.run.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Directory checkpoints that are replaced atomically: a reader (or a restart after a crash) sees the
 * previous checkpoint or the new one, never a half-written mix.
 *
 * <p>{@link #write} fills a fresh hidden sibling {@code .<name>.tmp-<random>}, forces its files to disk,
 * then swaps it in: the current directory becomes {@code .<name>.old-<random>}, the temp directory
 * becomes {@code <name>}, the old one is deleted. The one moment without {@code <name>} is between the
 * two renames; {@link #recover} repairs a crash there.
 */
public final class CheckpointDirectory {
  private static final String TEMP_MARK = ".tmp-";
  private static final String OLD_MARK = ".old-";

  /** What {@link #recover} found and did. */
  public enum Recovery {
    /** Nothing was out of place. */
    CLEAN,
    /** Leftovers of an interrupted write were deleted; the checkpoint itself was intact. */
    REMOVED_LEFTOVERS,
    /** A crash between the renames had left no checkpoint; the previous one was put back. */
    RESTORED_PREVIOUS
  }

  /** Writes a checkpoint's files into the directory it is given. */
  @FunctionalInterface
  public interface Writer {
    void write(Path directory) throws IOException;
  }

  private CheckpointDirectory() {}

  /**
   * Replaces {@code dir} with what {@code writer} writes into the (empty, existing) directory it is
   * given. If the writer throws, {@code dir} is left as it was and the temp directory is removed.
   */
  public static void write(Path dir, Writer writer) throws IOException {
    Path target = dir.toAbsolutePath().normalize();
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path temp = parent.resolve(hidden(target, TEMP_MARK));
    Files.createDirectory(temp);
    try {
      writer.write(temp);
      forceTree(temp);
    } catch (RuntimeException | Error | IOException e) {
      try {
        FileTrees.delete(temp);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    swapIn(temp, target);
  }

  /**
   * Brings the checkpoint at {@code dir} to a consistent state after a crash: puts the previous
   * checkpoint back when a crash between the renames left none, and deletes stray temp and old
   * directories. Call once on start-up, before reading or writing {@code dir}.
   */
  public static Recovery recover(Path dir) throws IOException {
    Path target = dir.toAbsolutePath().normalize();
    Path parent = target.getParent();
    if (!Files.isDirectory(parent)) {
      return Recovery.CLEAN;
    }
    List<Path> temps = siblings(target, TEMP_MARK);
    List<Path> olds = siblings(target, OLD_MARK);
    Recovery recovery = temps.isEmpty() && olds.isEmpty() ? Recovery.CLEAN : Recovery.REMOVED_LEFTOVERS;
    if (!Files.exists(target) && !olds.isEmpty()) {
      // Only one write runs at a time, so there is one; if ever more, the newest is the latest good.
      Path newest = olds.stream().max(Comparator.comparing(CheckpointDirectory::modified)).orElseThrow();
      Files.move(newest, target, StandardCopyOption.ATOMIC_MOVE);
      forceDirectory(parent);
      olds.remove(newest);
      recovery = Recovery.RESTORED_PREVIOUS;
    }
    for (Path leftover : temps) {
      FileTrees.delete(leftover);
    }
    for (Path leftover : olds) {
      FileTrees.delete(leftover);
    }
    return recovery;
  }

  private static void swapIn(Path temp, Path target) throws IOException {
    Path parent = target.getParent();
    if (!Files.exists(target)) {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      forceDirectory(parent);
      return;
    }
    Path old = parent.resolve(hidden(target, OLD_MARK));
    Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
      FileTrees.delete(temp);
      throw e;
    }
    forceDirectory(parent);
    FileTrees.delete(old);
  }

  private static String hidden(Path target, String mark) {
    return "." + target.getFileName() + mark + Long.toHexString(ThreadLocalRandom.current().nextLong());
  }

  private static List<Path> siblings(Path target, String mark) throws IOException {
    String start = "." + target.getFileName() + mark;
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(target.getParent())) {
      for (Path entry : entries) {
        if (entry.getFileName().toString().startsWith(start) && Files.isDirectory(entry)) {
          found.add(entry);
        }
      }
    }
    return found;
  }

  private static FileTime modified(Path path) {
    try {
      return Files.getLastModifiedTime(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** fsync every file and directory under {@code root}, so the rename publishes durable contents. */
  private static void forceTree(Path root) throws IOException {
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
            if (attributes.isRegularFile()) {
              try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                channel.force(true);
              }
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            forceDirectory(directory);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** fsync a directory's entries (Linux, macOS); where a directory cannot be opened, skipped. */
  private static void forceDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException notSupported) {
      // e.g. Windows cannot open a directory; its renames are durable enough for this purpose
    }
  }

}

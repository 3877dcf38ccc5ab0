package dev.vprompt.export;

import dev.vprompt.core.run.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A directory written under a hidden sibling name and renamed into place once complete, so that the
 * final name either does not exist or holds a whole, verified model. Closing without {@link #commit}
 * deletes everything written (and the parent, when this created it and it is left empty).
 */
final class StagingDirectory implements AutoCloseable {

  private final Path target;
  private final Path staging;
  private final Path createdParent;
  private boolean committed;

  private StagingDirectory(Path target, Path staging, Path createdParent) {
    this.target = target;
    this.staging = staging;
    this.createdParent = createdParent;
  }

  /** Creates {@code .<name>.staging-<random>} next to {@code target}. */
  static StagingDirectory next(Path target) {
    Path parent = target.toAbsolutePath().getParent();
    try {
      Path createdParent = Files.exists(parent) ? null : parent;
      Files.createDirectories(parent);
      Path staging = Files.createTempDirectory(parent, "." + target.getFileName() + ".staging-");
      return new StagingDirectory(target.toAbsolutePath(), staging, createdParent);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory next to " + target + ": " + e.getMessage(), e);
    }
  }

  Path path() {
    return staging;
  }

  /** Renames the staging directory to the target; fails, leaving nothing behind, if the target exists. */
  void commit() {
    if (Files.exists(target)) {
      throw new IllegalStateException(target + " appeared while exporting; nothing was written there");
    }
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      committed = true;
    } catch (FileAlreadyExistsException e) {
      throw new IllegalStateException(target + " appeared while exporting; nothing was written there", e);
    } catch (AtomicMoveNotSupportedException e) {
      throw new UncheckedIOException("cannot rename " + staging + " to " + target + " atomically", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rename " + staging + " to " + target + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (committed) {
      return;
    }
    deleteRecursively(staging);
    if (createdParent != null) {
      try {
        Files.deleteIfExists(createdParent);
      } catch (IOException e) {
        // not empty (another export wrote there meanwhile): keep it
      }
    }
  }

  static void deleteRecursively(Path dir) {
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }

}

package dev.vprompt.cli;

import dev.vprompt.core.run.DirectoryLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies of finished runs and exported models, for the tests that damage them. */
final class DirectoryCopy {
  private DirectoryCopy() {}

  /** Copies the tree {@code from} to {@code to} but its lock files (the copy is nobody's); returns {@code to}. */
  static Path of(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!DirectoryLock.isLockFile(p)) {
          Files.copy(p, target);
        }
      }
    }
    return to;
  }
}

package dev.vprompt.core.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Tells a full disk apart from other write failures, so that the user reads one line naming the
 * directory and its free space instead of an I/O stack or TensorFlow's out-of-memory text (its
 * SaveV2 reports ENOSPC as RESOURCE_EXHAUSTED, with a hint about GPU memory).
 */
public final class DiskSpace {

  /** Below this much free space a failed write is taken for a full disk whatever its message says. */
  static final long NEARLY_FULL = 1 << 20;

  private DiskSpace() {}

  /** A write that failed because the file system is full (exit code 2, like other bad conditions). */
  public static final class NoSpaceException extends IllegalArgumentException {
    NoSpaceException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The exception to throw for a failed write of {@code file}. */
  public static RuntimeException writeFailure(Path file, IOException e) {
    RuntimeException full = ifFull(file, e);
    return full != null ? full : new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
  }

  /**
   * A {@link NoSpaceException} when {@code e} (from Java or TensorFlow, writing {@code target}) came
   * from a full file system; null otherwise.
   */
  public static NoSpaceException ifFull(Path target, Throwable e) {
    Path dir = existingDirectory(target);
    long free = free(dir);
    if (!mentionsNoSpace(e) && (free < 0 || free >= NEARLY_FULL)) {
      return null;
    }
    return new NoSpaceException(String.format(Locale.ROOT, "%s: no space left on the device (%s free); "
        + "what was saved before is intact. Free some space and run the command again", dir, bytes(free)), e);
  }

  private static boolean mentionsNoSpace(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (message.contains("No space left on device") || message.contains("Disk quota exceeded")) {
        return true;
      }
    }
    return false;
  }

  private static Path existingDirectory(Path target) {
    Path dir = target.toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir)) {
      dir = dir.getParent();
    }
    return dir == null ? target.toAbsolutePath() : dir;
  }

  private static long free(Path dir) {
    try {
      return Files.getFileStore(dir).getUsableSpace();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static String bytes(long n) {
    if (n < 0) {
      return "unknown";
    }
    if (n < 1024) {
      return n + " bytes";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = n;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}

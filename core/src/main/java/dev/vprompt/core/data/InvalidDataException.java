package dev.vprompt.core.data;

import java.nio.file.Path;

/**
 * Bad dataset input: a missing, truncated, corrupt or inconsistent file.
 *
 * <p>It extends {@link IllegalArgumentException} because the CLI turns that into a one-line
 * message and exit code 2; the message always starts with the offending file so the user knows
 * what to fix: {@code "/data/train-images-idx3-ubyte.gz: truncated: expected 47040000 pixel bytes,
 * found 1000"}.
 */
public final class InvalidDataException extends IllegalArgumentException {

  private final transient Path file;

  public InvalidDataException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  public InvalidDataException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /** The file or directory the problem is about. */
  public Path file() {
    return file;
  }
}

package dev.vprompt.ops.weights;

import java.io.IOException;
import java.nio.file.Path;

/** A weights file that cannot be read as safetensors; the message is one line and names the file. */
public final class SafetensorsException extends IOException {

  private final Path file;

  public SafetensorsException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  public SafetensorsException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}

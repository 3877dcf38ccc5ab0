package dev.vprompt.core.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** The standard MNIST file names, and finding each one raw or gzip-compressed. */
public final class IdxFiles {

  public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
  public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
  public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
  public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

  private IdxFiles() {
  }

  /** {@code dir/base} if present, else {@code dir/base.gz}, else an InvalidDataException. */
  public static Path find(Path dir, String base) {
    Path raw = dir.resolve(base);
    if (Files.isRegularFile(raw)) {
      return raw;
    }
    Path gz = dir.resolve(base + ".gz");
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    throw new InvalidDataException(raw, "not found (neither " + base + " nor " + base + ".gz)");
  }
}

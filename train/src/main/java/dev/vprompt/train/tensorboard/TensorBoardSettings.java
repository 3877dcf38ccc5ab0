package dev.vprompt.train.tensorboard;

import dev.vprompt.core.run.Json;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a run writes its TensorBoard logs, kept in the run directory's {@code tensorboard.json} so that
 * {@code --resume} continues the same curves.
 *
 * @param logdir the log directory: absolute, or relative to the run directory ({@value #DEFAULT_DIR} by
 *     default); null when off
 * @param imagesEvery prompt images every this many epochs (and at the last epoch)
 */
public record TensorBoardSettings(String logdir, int imagesEvery) {

  static final String FILE = "tensorboard.json";
  /** The default log directory inside a run directory. */
  public static final String DEFAULT_DIR = "tensorboard";
  public static final int DEFAULT_IMAGES_EVERY = 5;

  public TensorBoardSettings {
    if (imagesEvery < 1) {
      throw new IllegalArgumentException("--tensorboard-images-every must be at least 1, got " + imagesEvery);
    }
  }

  /** From the {@code --tensorboard} option: {@code off}, a directory, or null for RUN/tensorboard. */
  public static TensorBoardSettings parse(String option, int imagesEvery) {
    if (option == null) {
      return new TensorBoardSettings(DEFAULT_DIR, imagesEvery);
    }
    if (option.equals("off")) {
      return new TensorBoardSettings(null, imagesEvery);
    }
    if (option.isBlank()) {
      throw new IllegalArgumentException("--tensorboard needs off or a directory");
    }
    return new TensorBoardSettings(Path.of(option).toAbsolutePath().normalize().toString(), imagesEvery);
  }

  public boolean enabled() {
    return logdir != null;
  }

  /** The log directory of the run in {@code runRoot}. */
  public Path dir(Path runRoot) {
    return runRoot.resolve(logdir);
  }

  public void save(Path runRoot) {
    Json.writeAtomically(runRoot.resolve(FILE), this);
  }

  /** The settings a run was started with; runs from before TensorBoard logging get the default. */
  public static TensorBoardSettings load(Path runRoot) {
    Path file = runRoot.resolve(FILE);
    return Files.exists(file) ? Json.read(file, TensorBoardSettings.class) : parse(null, DEFAULT_IMAGES_EVERY);
  }
}

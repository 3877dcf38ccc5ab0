package dev.vprompt.train.tensorboard;

import java.nio.file.Path;

/**
 * The {@code --tensorboard} and {@code --tensorboard-images-every} options as given (null: not given).
 *
 * @param logdir {@code off}, a directory, or null for the run's own ({@code RUN/tensorboard})
 */
public record TensorBoardOptions(String logdir, Integer imagesEvery) {

  /** Neither option given: a new run logs to RUN/tensorboard, a resumed run where it logged before. */
  public static final TensorBoardOptions DEFAULT = new TensorBoardOptions(null, null);

  /** The settings of a new run. */
  public TensorBoardSettings forNewRun() {
    return TensorBoardSettings.parse(logdir,
        imagesEvery != null ? imagesEvery : TensorBoardSettings.DEFAULT_IMAGES_EVERY);
  }

  /** The run's own settings, with what was given now replacing them (and saved). */
  public TensorBoardSettings forResume(Path runRoot) {
    TensorBoardSettings saved = TensorBoardSettings.load(runRoot);
    if (logdir == null && imagesEvery == null) {
      return saved;
    }
    int every = imagesEvery != null ? imagesEvery : saved.imagesEvery();
    TensorBoardSettings settings = logdir != null ? TensorBoardSettings.parse(logdir, every)
        : new TensorBoardSettings(saved.logdir(), every);
    settings.save(runRoot);
    return settings;
  }
}

package dev.vprompt.train.trainer;

import dev.vprompt.core.run.RunConfig;
import dev.vprompt.core.run.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The normalisation statistics of a run. A transferred model sees its inputs normalised as its source
 * was trained, not with the target data's statistics (both reference codes normalise with the source's:
 * ImageNet's for their pretrained backbones): a vprompt run's recorded mean and std, or, for an imported
 * TensorFlow checkpoint, the declared ImageNet statistics of torchvision and timm's ImageNet models.
 *
 * @param mode what was used: {@code source}, {@code imagenet} or {@code target}
 */
public record SourceNormalization(String mode, float[] mean, float[] std) {

  /** The names {@code --normalization} accepts. */
  public static final String NAMES = "auto, source, imagenet, target";
  /** torchvision's and timm's ImageNet statistics (per RGB channel). */
  static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
  static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

  /**
   * @param requested {@code auto} (source for a run directory; imagenet for a checkpoint prefix and RGB
   *     data, target for other data; target when training from scratch), {@code source}, {@code imagenet}
   *     or {@code target}
   * @param initFrom the {@code --init-from} value, or null
   * @param targetMean the target training split's statistics, used for {@code target}
   */
  public static SourceNormalization resolve(String requested, String initFrom, int channels, float[] targetMean,
      float[] targetStd) {
    String mode = requested == null ? "auto" : requested.trim().toLowerCase(Locale.ROOT);
    if (mode.equals("auto")) {
      // a checkpoint prefix declares nothing: ImageNet's statistics fit colour images, none fit others
      mode = initFrom == null ? "target" : Files.isDirectory(Path.of(initFrom)) ? "source"
          : channels == IMAGENET_MEAN.length ? "imagenet" : "target";
    }
    return switch (mode) {
      case "target" -> new SourceNormalization("target", targetMean, targetStd);
      case "source" -> fromRun(initFrom, channels);
      case "imagenet" -> imagenet(channels);
      default -> throw new IllegalArgumentException(
          "unknown --normalization '" + requested + "'; choose one of: " + NAMES);
    };
  }

  private static SourceNormalization fromRun(String initFrom, int channels) {
    if (initFrom == null || !Files.isDirectory(Path.of(initFrom))) {
      throw new IllegalArgumentException("--normalization source needs --init-from naming a vprompt run directory"
          + (initFrom == null ? "" : "; " + initFrom + " is not one"));
    }
    RunConfig source = RunDirectory.existing(Path.of(initFrom)).readConfig();
    float[] mean = source.normMean();
    float[] std = source.normStd();
    if (mean == null || std == null || mean.length != channels || std.length != channels) {
      throw new IllegalArgumentException(Path.of(initFrom).resolve("config.json") + ": its normalisation statistics "
          + Arrays.toString(mean) + " / " + Arrays.toString(std) + " do not fit " + channels + " channels");
    }
    return new SourceNormalization("source", mean.clone(), std.clone());
  }

  private static SourceNormalization imagenet(int channels) {
    if (channels != IMAGENET_MEAN.length) {
      throw new IllegalArgumentException("--normalization imagenet has statistics for 3 channels, the data has "
          + channels + "; use --normalization target (or source with a vprompt run)");
    }
    return new SourceNormalization("imagenet", IMAGENET_MEAN.clone(), IMAGENET_STD.clone());
  }
}

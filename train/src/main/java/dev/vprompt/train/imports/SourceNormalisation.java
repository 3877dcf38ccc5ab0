package dev.vprompt.train.imports;

/**
 * The per-channel statistics the source model was trained with, of pixels scaled to [0, 1]: timm's
 * IMAGENET_DEFAULT_MEAN / STD for the supported checkpoints.
 */
final class SourceNormalisation {
  static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
  static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

  private SourceNormalisation() {}

  /**
   * The statistics for a model of {@code channels} inputs: the given or ImageNet's for 3; for one channel
   * (a grey input whose first kernel is summed over RGB, timm's {@code adapt_input_conv}) the channels'
   * average, an approximation that is exact when the three statistics agree.
   */
  static float[] forChannels(float[] given, float[] imagenet, int channels, String what) {
    float[] source = given != null ? given : imagenet;
    if (source.length == channels) {
      return source.clone();
    }
    if (channels == 1 && source.length == 3) {
      return new float[] {(source[0] + source[1] + source[2]) / 3f};
    }
    throw new IllegalArgumentException("--" + what + " has " + source.length + " values, the model has " + channels
        + " input channels");
  }
}

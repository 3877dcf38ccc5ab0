package dev.vprompt.train.imports;

/**
 * The per-channel statistics the source model was trained with, of pixels scaled to [0, 1], as timm's
 * {@code pretrained_cfg} gives them: IMAGENET_DEFAULT_MEAN / STD (0.485, 0.456, 0.406 / 0.229, 0.224,
 * 0.225) for ResNet, Swin and ConvNeXt; IMAGENET_INCEPTION_MEAN / STD (0.5 / 0.5) for timm's ViT
 * checkpoints (the AugReg ones the docs list), whose {@code _cfg} defaults to those.
 */
final class SourceNormalisation {
  static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
  static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};
  static final float[] INCEPTION_MEAN = {0.5f, 0.5f, 0.5f};
  static final float[] INCEPTION_STD = {0.5f, 0.5f, 0.5f};

  private SourceNormalisation() {}

  /** {mean, std} of a family's timm checkpoints. */
  static float[][] defaults(String family) {
    return "vit".equals(family) ? new float[][] {INCEPTION_MEAN, INCEPTION_STD} : new float[][] {IMAGENET_MEAN, IMAGENET_STD};
  }

  /**
   * The statistics for a model of {@code channels} inputs: the given or the family's for 3; for one channel
   * (a grey input whose first kernel is summed over RGB, timm's {@code adapt_input_conv}) the channels'
   * average, an approximation that is exact when the three statistics agree.
   */
  static float[] forChannels(float[] given, float[] familyDefault, int channels, String what) {
    float[] source = given != null ? given : familyDefault;
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

package dev.vprompt.graph;

import dev.vprompt.ops.Shapes;
import dev.vprompt.ops.layers.Resize;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ResizeNearestNeighbor;
import org.tensorflow.types.TFloat32;

/**
 * The in-graph resize of each batch from the dataset's stored size to the backbone's input size, so that
 * datasets stay resident at their own size and a pretrained backbone sees the resolution it was trained at.
 * Bilinear with half-pixel centres and no antialiasing is the default: torchvision's {@code Resize} on a
 * tensor with {@code antialias=False} and PyTorch's {@code F.interpolate(mode="bilinear", align_corners=False)},
 * the upsampling the visual prompting papers' data pipelines apply (e.g. "Visual Prompting: Modifying
 * Pixel Space to Adapt Pre-trained Models", arXiv:2203.17274, resizes CIFAR's 32x32 to 224). Upsampling, the
 * case here, is unaffected by antialiasing; downsampling with torchvision's antialiased default would differ.
 *
 * @param size the square side the backbone takes
 */
public record InputResize(int size, Interpolation interpolation) {

  /** How pixels are interpolated; {@link #BILINEAR} is the papers' choice. */
  public enum Interpolation {
    /** Half-pixel centres, no antialiasing. */
    BILINEAR,
    /** PyTorch's {@code mode="nearest"}: the source pixel {@code floor(dst * in / out)}. */
    NEAREST;

    public static Interpolation parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new InvalidOptionException("interpolation",
            "unknown interpolation '" + text + "'; known: bilinear, nearest");
      }
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public InputResize {
    if (size < 1 || size > 4096) {
      throw new InvalidOptionException("resize", "the resize target must be 1..4096 pixels, got " + size);
    }
    if (interpolation == null) {
      interpolation = Interpolation.BILINEAR;
    }
  }

  /** The backbone's input: {@code size x size}, the dataset's channels. */
  public InputSpec target(InputSpec stored) {
    return new InputSpec(size, size, stored.channels());
  }

  /** {@code [B, H, W, C] -> [B, size, size, C]}; the identity when the images already have that size. */
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> images) {
    Shapes.requireRank(images, 4, "input resize");
    if (images.shape().get(1) == size && images.shape().get(2) == size) {
      return images;
    }
    return switch (interpolation) {
      case BILINEAR -> Resize.bilinear(tf, images, size, size);
      case NEAREST -> tf.image.resizeNearestNeighbor(images, tf.constant(new int[] {size, size}),
          ResizeNearestNeighbor.alignCorners(false), ResizeNearestNeighbor.halfPixelCenters(false));
    };
  }
}

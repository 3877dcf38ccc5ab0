package dev.vprompt.graph;

import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Shapes;
import dev.vprompt.ops.layers.Dense;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * The classifier graph: pixels -> per-channel normalisation -> prompt -> backbone -> head -> logits.
 * Built from the same {@link ModelSpec} in training and in inference mode, with the same variable
 * names ({@code prompt.*}, {@code backbone.*}, {@code head.*}), so that a checkpoint of one restores
 * into the other.
 */
public final class Classifier {

  /** The tensors of one build that callers use. */
  public record Built(
      Operand<TFloat32> normalised, Operand<TFloat32> prompted, Operand<TFloat32> features, Operand<TFloat32> logits) {}

  /** The layer name of a prompt on the normalised image in {@link dev.vprompt.ops.PromptEffect}s. */
  public static final String INPUT_LAYER = "input";

  private Classifier() {}

  /** From {@code [B, H, W, C]} uint8 pixels. */
  public static Built fromPixels(BuildContext root, ModelSpec spec, Operand<TUint8> pixels) {
    requireImageShape(pixels.shape(), spec.input());
    Ops tf = root.tf();
    Operand<TFloat32> scaled = tf.math.mul(tf.dtypes.cast(pixels, TFloat32.class), tf.constant(1f / 255f));
    return fromScaled(root, spec, scaled);
  }

  /** From {@code [B, H, W, C]} float pixels already scaled to [0, 1]. */
  public static Built fromScaled(BuildContext root, ModelSpec spec, Operand<TFloat32> scaled) {
    requireImageShape(scaled.shape(), spec.input());
    Backbone backbone = spec.createBackbone();
    Operand<TFloat32> normalised = normalise(root.tf(), spec, scaled);
    Operand<TFloat32> prompted;
    Operand<TFloat32> features;
    if (spec.prompt().additiveConstant()
        && spec.prompt().blockHook(root.child("prompt"), backbone) == BlockHook.NONE) {
      // x + F: the backbone takes F apart (see Backbone#features with a field); `prompted` is only
      // computed when someone fetches it. A prompt that also hooks blocks takes the general path.
      Operand<TFloat32> field = promptField(root, spec);
      prompted = root.tf().math.add(normalised, field);
      root.addPromptEffect(INPUT_LAYER, field, normalised);
      features = backbone.features(root.child("backbone"), normalised, field);
    } else {
      var applied = spec.prompt().applyTo(root.child("prompt"), normalised, backbone);
      prompted = applied.images();
      if (prompted != normalised) {
        root.addPromptEffect(INPUT_LAYER, root.tf().math.sub(prompted, normalised), normalised);
      }
      features = backbone.features(root.child("backbone"), prompted, applied.hook());
    }
    Operand<TFloat32> logits =
        Dense.of(spec.classes(), backbone.headInit()).apply(root.child("head"), features);
    return new Built(normalised, prompted, features, logits);
  }

  /**
   * The image-independent field F of an additive prompt ({@code apply(x) = x + F}), {@code [1, H, W, C]},
   * computed exactly as {@code apply(0)}; it reads the same variables as the prompt in the model.
   */
  public static Operand<TFloat32> promptField(BuildContext root, ModelSpec spec) {
    if (!spec.prompt().additiveConstant()) {
      throw new IllegalArgumentException("the prompt '" + spec.prompt().name() + "' depends on the image; it has no constant field");
    }
    InputSpec in = spec.input();
    Ops tf = root.tf();
    Operand<TFloat32> zeros = tf.zeros(tf.constant(new long[] {1, in.height(), in.width(), in.channels()}), TFloat32.class);
    return spec.prompt().apply(root.child("prompt"), zeros);
  }

  /** {@code (x - mean) / std} per channel. */
  public static Operand<TFloat32> normalise(Ops tf, ModelSpec spec, Operand<TFloat32> scaled) {
    float[] inverseStd = spec.std();
    for (int c = 0; c < inverseStd.length; c++) {
      inverseStd[c] = 1f / inverseStd[c];
    }
    return tf.math.mul(tf.math.sub(scaled, tf.constant(spec.mean())), tf.constant(inverseStd));
  }

  private static void requireImageShape(Shape shape, InputSpec input) {
    boolean ok = !shape.isUnknown() && shape.numDimensions() == 4
        && shape.get(1) == input.height() && shape.get(2) == input.width() && shape.get(3) == input.channels();
    if (!ok) {
      throw new IllegalArgumentException("expected images of shape [batch, " + input.height() + ", "
          + input.width() + ", " + input.channels() + "], got " + shape);
    }
  }

  /** The placeholder shape for a batch of images of this input. */
  public static Shape batchShape(InputSpec input) {
    return Shape.of(Shape.UNKNOWN_SIZE, input.height(), input.width(), input.channels());
  }

}

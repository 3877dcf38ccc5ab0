package dev.vprompt.graph;

import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.graph.backbones.Features;
import dev.vprompt.graph.prompts.Contribution;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Shapes;
import dev.vprompt.ops.layers.Dense;
import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * The classifier graph: pixels -> resize to the backbone's input ({@link ModelSpec#resize}, when set) ->
 * training-time augmentation (at the backbone's resolution) -> per-channel normalisation with the source's
 * statistics -> prompt -> backbone -> head -> label mapping ({@link ModelSpec#labelMap}, when set) -> logits.
 * That order is torchvision's in the papers' pipelines: {@code Resize}, then the random transforms, then
 * {@code Normalize}.
 * Built from the same {@link ModelSpec} in training and in inference mode, with the same variable
 * names ({@code prompt.*}, {@code backbone.*}, {@code head.*}), so that a checkpoint of one restores
 * into the other.
 */
public final class Classifier {

  /**
   * The tensors of one build that callers use.
   *
   * @param prompt what the prompt contributed (its images, hook and, for an additive prompt, its field)
   * @param backbone the backbone's pooled features and its blocks' inputs and outputs
   * @param headLogits the head's outputs: the source classes' logits under a label map, else {@code logits}
   */
  public record Built(Operand<TFloat32> normalised, Contribution prompt, Features backbone, Operand<TFloat32> logits,
      Operand<TFloat32> headLogits) {

    /** The images the backbone saw. */
    public Operand<TFloat32> prompted() {
      return prompt.images();
    }

    /** The pooled features the head read. */
    public Operand<TFloat32> features() {
      return backbone.pooled();
    }
  }

  /** The layer name of a prompt on the normalised image in {@link dev.vprompt.ops.PromptEffect}s. */
  public static final String INPUT_LAYER = "input";

  private Classifier() {}

  /** From {@code [B, H, W, C]} uint8 pixels. */
  public static Built fromPixels(BuildContext root, ModelSpec spec, Operand<TUint8> pixels) {
    return fromPixels(root, spec, pixels, true);
  }

  /**
   * @param fieldApart whether an additive prompt's field goes through the backbone's first convolution
   *     apart ({@code conv(x) + conv(F)}, the default); Grad-CAM passes false and keeps {@code conv(x + F)},
   *     the path its figures have always been computed on (equal up to float rounding)
   */
  public static Built fromPixels(BuildContext root, ModelSpec spec, Operand<TUint8> pixels, boolean fieldApart) {
    requireImageShape(pixels.shape(), spec.input());
    Ops tf = root.tf();
    Operand<TFloat32> scaled = tf.math.mul(tf.dtypes.cast(pixels, TFloat32.class), tf.constant(1f / 255f));
    return fromScaled(root, spec, scaled, fieldApart);
  }

  /** From {@code [B, H, W, C]} float pixels already scaled to [0, 1]. */
  public static Built fromScaled(BuildContext root, ModelSpec spec, Operand<TFloat32> scaled) {
    return fromScaled(root, spec, scaled, UnaryOperator.identity(), true);
  }

  /**
   * The same, with {@code augment} (training's random transforms, on [0, 1] pixels) applied after the resize
   * and before the normalisation.
   */
  public static Built fromScaled(BuildContext root, ModelSpec spec, Operand<TFloat32> scaled,
      UnaryOperator<Operand<TFloat32>> augment) {
    return fromScaled(root, spec, scaled, augment, true);
  }

  private static Built fromScaled(BuildContext root, ModelSpec spec, Operand<TFloat32> scaled, boolean fieldApart) {
    return fromScaled(root, spec, scaled, UnaryOperator.identity(), fieldApart);
  }

  private static Built fromScaled(BuildContext root, ModelSpec spec, Operand<TFloat32> scaled,
      UnaryOperator<Operand<TFloat32>> augment, boolean fieldApart) {
    requireImageShape(scaled.shape(), spec.input());
    Backbone backbone = spec.createBackbone();
    Operand<TFloat32> resized = spec.resize() == null ? scaled : spec.resize().apply(root.tf(), scaled);
    Operand<TFloat32> normalised = normalise(root.tf(), spec, augment.apply(resized));
    Contribution prompt = spec.prompt().build(root.child("prompt"), normalised, backbone);
    if (prompt.additive()) {
      root.addPromptEffect(INPUT_LAYER, prompt.field(), normalised);
    } else if (prompt.images() != normalised) {
      root.addPromptEffect(INPUT_LAYER, root.tf().math.sub(prompt.images(), normalised), normalised);
    }
    // x + F with nothing in the blocks: the backbone takes F apart (see Backbone#forward); the prompted
    // images are then only computed when someone fetches them
    Features features = fieldApart && prompt.additive() && !prompt.hooksBlocks()
        ? backbone.forward(root.child("backbone"), normalised, prompt.field(), prompt.hook())
        : backbone.forward(root.child("backbone"), prompt.images(), null, prompt.hook());
    Operand<TFloat32> headLogits =
        Dense.of(spec.headClasses(), backbone.headInit()).apply(root.child("head"), features.pooled());
    Operand<TFloat32> logits = spec.labelMap() == null ? headLogits
        : spec.labelMap().apply(root.child("label_map"), headLogits, spec.classes());
    return new Built(normalised, prompt, features, logits, headLogits);
  }

  /**
   * The image-independent field F of an additive prompt ({@code images = x + F}), {@code [1, H, W, C]},
   * built on its own (export folds it into a constant); it reads the same variables as the prompt in the model.
   * With a resize it is at the backbone's resolution, added after the resize.
   */
  public static Operand<TFloat32> promptField(BuildContext root, ModelSpec spec) {
    InputSpec in = spec.backboneInput();
    Ops tf = root.tf();
    Operand<TFloat32> zeros = tf.zeros(tf.constant(new long[] {1, in.height(), in.width(), in.channels()}), TFloat32.class);
    Contribution prompt = spec.prompt().build(root.child("prompt"), zeros, spec.createBackbone());
    if (!prompt.additive() || prompt.hooksBlocks()) {
      throw new IllegalArgumentException("the prompt '" + spec.prompt().name() + "' depends on the image; it has no constant field");
    }
    return prompt.field();
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

package dev.vprompt.graph.prompts;

import dev.vprompt.graph.BlockHook;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Shapes;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What one build of a prompt contributes to the model.
 *
 * @param images the images the backbone sees, {@code [B, H, W, C]}
 * @param hook the prompt's hook around the backbone's blocks, {@link BlockHook#NONE} for none
 * @param field when {@code images = input + field} with a {@code [1, H, W, C]} field independent of the
 *     image, that field (an exported model holds it as one constant, see {@link FoldedPrompt}); else null
 */
public record Contribution(Operand<TFloat32> images, BlockHook hook, Operand<TFloat32> field) {

  public Contribution {
    if (images == null || hook == null) {
      throw new IllegalArgumentException("a prompt contributes images and a hook (BlockHook.NONE for none)");
    }
  }

  /** Prompted images that depend on the image, and a hook. */
  public static Contribution of(Operand<TFloat32> images, BlockHook hook) {
    return new Contribution(images, hook, null);
  }

  /** {@code input + field}, nothing inside the backbone. */
  public static Contribution additive(Ops tf, Operand<TFloat32> input, Operand<TFloat32> field) {
    return new Contribution(tf.math.add(input, field), BlockHook.NONE, field);
  }

  /**
   * An additive prompt given as its map {@code x -> x + F}: F is built once, as {@code apply(0)} on a
   * {@code [1, H, W, C]} zero image, and the images are {@code input + F}.
   */
  public static Contribution additive(BuildContext ctx, Operand<TFloat32> input, Applied apply) {
    Ops tf = ctx.tf();
    Shapes.requireRank(input, 4, "prompt input");
    long[] one = {1, Shapes.staticDim(input, 1, "prompt input"), Shapes.staticDim(input, 2, "prompt input"),
        Shapes.staticDim(input, 3, "prompt input")};
    Operand<TFloat32> zeros = tf.zeros(tf.constant(one), TFloat32.class);
    return additive(tf, input, apply.apply(ctx, zeros));
  }

  /** Whether the prompt hooks the backbone's blocks. */
  public boolean hooksBlocks() {
    return hook != BlockHook.NONE;
  }

  /** Whether the prompt only adds an image-independent field. */
  public boolean additive() {
    return field != null;
  }

  /** A prompt's image map. */
  @FunctionalInterface
  public interface Applied {
    Operand<TFloat32> apply(BuildContext ctx, Operand<TFloat32> images);
  }
}

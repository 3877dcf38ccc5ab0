package dev.vprompt.graph.backbones;

import dev.vprompt.graph.BlockHook;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Init;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A feature extractor from {@code [B, H, W, C]} images to {@code [B, F]} features. The classification
 * head is built apart (under {@code head.}) so that a transfer run can replace it. Register a new one
 * with its family ({@link BackboneFamily}, {@link Backbones#FAMILIES}).
 */
public interface Backbone {

  /** The registry name, e.g. {@code resnet18}. */
  String name();

  /**
   * Builds the features of {@code images + inputField} under {@code ctx} (the caller passes the {@code
   * backbone} context), calling {@code hook} around each block, and returns them with every block's
   * input and output. {@code inputField} is a {@code [1, H, W, C]} field shared by every image (an
   * additive prompt's, {@code Contribution#field}), or null; backbones push it through their first
   * convolution apart ({@code conv(x) + conv(F)}), which is equal and spares the backward pass a
   * batch-sized gradient to their input.
   */
  Features forward(BuildContext ctx, Operand<TFloat32> images, Operand<TFloat32> inputField, BlockHook hook);

  /** The pooled features of the images as given. */
  default Operand<TFloat32> features(BuildContext ctx, Operand<TFloat32> images, BlockHook hook) {
    return forward(ctx, images, null, hook).pooled();
  }

  /** Width F of the features. */
  int featureWidth();

  /** How many blocks {@link BlockHook} is called for. */
  int blockCount();

  /** Initialiser of the head's kernel, following the reference implementation of the backbone. */
  Init headInit();
}

package dev.vprompt.graph.prompts;

import dev.vprompt.graph.BlockHook;
import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.ops.BuildContext;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A deep additive prompt, the LoTeP paper eq. 1: {@code X_{l+1} = f_l(X_l + P_l)} for the blocks l < d, none
 * from block d on. Each prompted block's {@code P_l} is built once per build as a dense {@code [H, W, C]}
 * tensor (variables under {@code layer<l>}) and broadcast over the batch. On ViT tokens {@code [B, 1 + N,
 * d]} it is added to the N patch tokens read as {@code [d, grid, grid]}; the class token passes through
 * untouched (vprompt's reading of the paper, which describes feature maps only).
 */
public final class AdditiveBlockHook implements BlockHook {

  /** Builds one block's prompt. */
  @FunctionalInterface
  public interface DenseLayer {
    /** The prompt for {@code site} as {@code [H, W, C]}, its variables created under {@code ctx}. */
    Operand<TFloat32> build(BuildContext ctx, BlockInput site);
  }

  private final BuildContext ctx;
  private final Backbone backbone;
  private final int depth;
  private final DenseLayer layer;

  /**
   * @param ctx the prompt family's context ({@code prompt.<name>})
   * @param depth d: blocks 0..d-1 are prompted
   */
  public AdditiveBlockHook(BuildContext ctx, Backbone backbone, int depth, DenseLayer layer) {
    this.ctx = ctx;
    this.backbone = backbone;
    this.depth = depth;
    this.layer = layer;
  }

  @Override
  public Operand<TFloat32> beforeBlock(int block, Operand<TFloat32> x) {
    if (block >= depth) {
      return x;
    }
    BlockInput site = BlockInputs.view(block, backbone, x);
    BuildContext layerCtx = ctx.child("layer" + block);
    Operand<TFloat32> prompt = layer.build(layerCtx, site);
    return add(layerCtx.tf(), x, prompt, site);
  }

  /** {@code x + prompt}, the prompt {@code [H, W, C]} broadcast over the batch (and over tokens' layout). */
  public static Operand<TFloat32> add(Ops tf, Operand<TFloat32> x, Operand<TFloat32> prompt, BlockInput site) {
    long[] dense = prompt.shape().asArray();
    if (dense.length != 3 || dense[0] != site.height() || dense[1] != site.width() || dense[2] != site.channels()) {
      throw new IllegalStateException("a prompt for " + site + " must be [H, W, C], got " + prompt.shape());
    }
    if (x.shape().numDimensions() == 4) {
      return tf.math.add(x, prompt);
    }
    // tokens: patch token 1 + i * gridWidth + j is grid cell (i, j), as the patch embedding reshapes them
    int patches = site.height() * site.width();
    Operand<TFloat32> perToken = tf.reshape(prompt, tf.constant(new long[] {patches, site.channels()}));
    Operand<TFloat32> cls = tf.stridedSlice(x, Indices.all(), Indices.slice(0, 1), Indices.all());
    Operand<TFloat32> tokens = tf.stridedSlice(x, Indices.all(), Indices.sliceFrom(1), Indices.all());
    return tf.concat(List.of(cls, tf.math.add(tokens, perToken)), tf.constant(1));
  }
}

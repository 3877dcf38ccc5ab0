package dev.vprompt.graph.prompts.insvp;

import dev.vprompt.graph.BlockHook;
import dev.vprompt.ops.Shapes;
import java.util.List;
import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * InsVP's feature prompts in a ViT (§3.3, eq. 10-11), VPT-deep style: block j sees {@code [cls, p_F_j,
 * patches]} and its outputs at the L_p prompt positions are dropped, so block j+1 gets a fresh {@code
 * p_F_{j+1}} and no prompt output ever reaches the next block or the head. Blocks from {@code blocks} on
 * run unprompted.
 *
 * <p>{@code p_F_j = b_F p_c_j + (1 - b_F) p_s} with both parts; with one part it is that part alone
 * (Table 5's "+ common" row has no specific prompt to weigh against).
 *
 * @param common {@code p_c_j [L_p, d]} for j below {@code blocks}, or empty without the common part
 * @param specific {@code p_s [B, L_p, d]}, or null without the specific part
 * @param commonDropout applied to each image's copy {@code [B, L_p, d]} of the common prompt
 */
record FeaturePromptHook(
    Ops tf, List<Operand<TFloat32>> common, Operand<TFloat32> specific, float featureWeight, int promptLength,
    int blocks, int dim, UnaryOperator<Operand<TFloat32>> commonDropout) implements BlockHook {

  FeaturePromptHook {
    if (common.isEmpty() && specific == null) {
      throw new IllegalArgumentException("InsVP feature prompts need the common or the specific part");
    }
    if (!common.isEmpty() && common.size() != blocks) {
      throw new IllegalArgumentException("InsVP has " + common.size() + " common prompts for " + blocks + " blocks");
    }
    common = List.copyOf(common);
  }

  @Override
  public Operand<TFloat32> beforeBlock(int block, Operand<TFloat32> x) {
    if (block >= blocks) {
      return x;
    }
    int tokens = requireTokens(x, "before block " + (block + 1));
    Operand<TFloat32> cls = tokens(x, 0, 1);
    Operand<TFloat32> patches = tokens(x, 1, tokens);
    return tf.concat(List.of(cls, prompt(block, cls), patches), tf.constant(1));
  }

  @Override
  public Operand<TFloat32> afterBlock(int block, Operand<TFloat32> x) {
    if (block >= blocks) {
      return x;
    }
    int tokens = requireTokens(x, "after block " + (block + 1));
    if (tokens < 1 + promptLength) {
      throw new IllegalArgumentException("InsVP: block " + (block + 1) + " returned " + tokens
          + " tokens, fewer than the class token and " + promptLength + " prompts");
    }
    return tf.concat(List.of(tokens(x, 0, 1), tokens(x, 1 + promptLength, tokens)), tf.constant(1));
  }

  /** {@code p_F_j [B, L_p, d]}; {@code cls [B, 1, d]} lends its batch size to a common prompt alone. */
  private Operand<TFloat32> prompt(int block, Operand<TFloat32> cls) {
    if (common.isEmpty()) {
      return specific;
    }
    // [B, 1, d] zeros + [L_p, d]: broadcasts without OnesLike or a Shape-fed op on the gradient path
    Operand<TFloat32> zeros = tf.math.mul(tf.stopGradient(cls), tf.constant(0f));
    Operand<TFloat32> perImage = commonDropout.apply(tf.math.add(zeros, common.get(block)));
    if (specific == null) {
      return perImage;
    }
    return tf.math.add(
        tf.math.mul(perImage, tf.constant(featureWeight)),
        tf.math.mul(specific, tf.constant(1f - featureWeight)));
  }

  private Operand<TFloat32> tokens(Operand<TFloat32> x, int from, int to) {
    return tf.stridedSlice(x, Indices.all(), Indices.slice(from, to), Indices.all());
  }

  private int requireTokens(Operand<TFloat32> x, String where) {
    Shapes.requireRank(x, 3, "InsVP feature prompts " + where);
    int width = Shapes.staticDim(x, 2, "InsVP feature prompts " + where);
    if (width != dim) {
      throw new IllegalArgumentException(
          "InsVP feature prompts " + where + ": tokens are " + width + " wide, the prompts " + dim);
    }
    return Shapes.staticDim(x, 1, "InsVP feature prompts " + where);
  }
}

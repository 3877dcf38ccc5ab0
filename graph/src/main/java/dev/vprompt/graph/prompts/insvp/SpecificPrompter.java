package dev.vprompt.graph.prompts.insvp;

import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Init;
import dev.vprompt.ops.Shapes;
import dev.vprompt.ops.layers.Conv2d;
import dev.vprompt.ops.layers.Dense;
import dev.vprompt.ops.layers.Padding;
import dev.vprompt.ops.layers.Pooling;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * InsVP's specific prompter G_s (§3.3, eq. 9): the image to one specific prompt {@code p_s [B, L_p, d]}
 * per image, shared by every prompted block. Three 3x3 stride-2 convolutions with ReLU, global average
 * pooling, then a linear layer to {@code L_p * d} values. The reference code's prompter crops fixed
 * 224x224 windows and reshapes its last feature map to {@code [L_p, 768]}, so it fits only ViT-B at 224;
 * pooling globally fits any width d and any input size, and the strided convolutions never shrink a map
 * below one pixel. Variables {@code conv1..3.kernel [3, 3, in, channels]}, {@code conv1..3.bias}, {@code
 * fc.kernel [channels, L_p*d]}, {@code fc.bias}.
 */
record SpecificPrompter(int channels, int promptLength, int dim) {

  /** The ViT's own linear initialisation: p_s starts on the scale of the tokens it joins. */
  private static final Init OUTPUT_INIT = Init.truncatedNormal(0.02f);

  SpecificPrompter {
    Shapes.requirePositive(channels, "InsVP specific prompter width");
    Shapes.requirePositive(promptLength, "InsVP prompt length");
    Shapes.requirePositive(dim, "InsVP token width");
  }

  Operand<TFloat32> apply(BuildContext ctx, Operand<TFloat32> images) {
    Shapes.requireRank(images, 4, "InsVP specific prompter");
    Ops tf = ctx.tf();
    Operand<TFloat32> x = images;
    for (int layer = 1; layer <= 3; layer++) {
      Conv2d conv = new Conv2d(channels, 3, 2, Padding.SYMMETRIC, 1, true, Init.kaimingNormalFanOut());
      x = tf.nn.relu(conv.apply(ctx.child("conv" + layer), x));
    }
    Operand<TFloat32> pooled = Pooling.globalAverage(tf, x);
    Operand<TFloat32> flat = Dense.of(promptLength * dim, OUTPUT_INIT).apply(ctx.child("fc"), pooled);
    return tf.reshape(flat, tf.constant(new long[] {-1, promptLength, dim}));
  }

  static long parameterCount(int inputChannels, int channels, int promptLength, int dim) {
    long convs = 9L * inputChannels * channels + channels + 2 * (9L * channels * channels + channels);
    long outputs = (long) promptLength * dim;
    return convs + channels * outputs + outputs;
  }
}

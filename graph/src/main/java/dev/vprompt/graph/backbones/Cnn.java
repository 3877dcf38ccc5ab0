package dev.vprompt.graph.backbones;

import dev.vprompt.graph.BlockHook;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Init;
import dev.vprompt.ops.layers.BatchNorm;
import dev.vprompt.ops.layers.Conv2d;
import dev.vprompt.ops.layers.Dense;
import dev.vprompt.ops.layers.Dropout;
import dev.vprompt.ops.layers.Pooling;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The MSVP paper's small CNN (§IV-B and reference code): four blocks of [conv3x3-BN-ReLU] x2 with widths
 * 32, 64, 128, 256, 2x2 max-pool after blocks 1-3, global average pool, dropout 0.5, FC 256->128, ReLU,
 * dropout 0.3; the head is FC 128->K. About 1.2M parameters for CIFAR-10.
 */
public record Cnn(List<Integer> widths, int hidden, float featureDropout, float hiddenDropout) implements Backbone {

  public static final String NAME = "cnn";

  public static final BackboneFamily FAMILY = BackboneFamily.of(List.of(NAME), (name, input) -> standard(input));

  /** Widths, hidden size and dropouts of the reference code. */
  public static Cnn standard(InputSpec input) {
    int pools = 3;
    if (input.height() < 1 << pools || input.width() < 1 << pools) {
      throw new IllegalArgumentException(
          "cnn needs images of at least 8x8 (three 2x2 max-pools), got " + input);
    }
    return new Cnn(List.of(32, 64, 128, 256), 128, 0.5f, 0.3f);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Features forward(
      BuildContext ctx, Operand<TFloat32> images, Operand<TFloat32> field, BlockHook prompt) {
    BlockTrace hook = new BlockTrace(prompt);
    Ops tf = ctx.tf();
    Operand<TFloat32> x = images;
    for (int b = 0; b < widths.size(); b++) {
      BuildContext block = ctx.child("block" + (b + 1));
      x = hook.beforeBlock(b, x);
      for (int c = 1; c <= 2; c++) {
        Operand<TFloat32> inputField = b == 0 && c == 1 ? field : null;
        x = Conv2d.of(widths.get(b), 3, 1).applyWithField(block.child("conv" + c), x, inputField);
        x = tf.nn.relu(BatchNorm.DEFAULT.apply(block.child("bn" + c), x));
      }
      x = hook.afterBlock(b, x);
      if (b < widths.size() - 1) {
        x = Pooling.max(tf, x, 2, 2);
      }
    }
    x = new Dropout(featureDropout).apply(ctx, Pooling.globalAverage(tf, x));
    x = tf.nn.relu(Dense.of(hidden, Init.normal(0.01f)).apply(ctx.child("fc"), x));
    return hook.features(new Dropout(hiddenDropout).apply(ctx, x));
  }

  @Override
  public int featureWidth() {
    return hidden;
  }

  @Override
  public int blockCount() {
    return widths.size();
  }

  @Override
  public Init headInit() {
    return Init.normal(0.01f);
  }
}

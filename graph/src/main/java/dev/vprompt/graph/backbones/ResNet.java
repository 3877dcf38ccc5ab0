package dev.vprompt.graph.backbones;

import dev.vprompt.graph.BlockHook;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Init;
import dev.vprompt.ops.layers.BatchNorm;
import dev.vprompt.ops.layers.Conv2d;
import dev.vprompt.ops.layers.Pooling;
import dev.vprompt.ops.Shapes;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * CIFAR-style ResNet with BasicBlocks: a 3x3 stride-1 stem and no max-pool (small images), four
 * stages of widths 64-512 with strides 1, 2, 2, 2, global average pool. ResNet-18 is blocks [2, 2, 2, 2]
 * (11.17M parameters with a 10-class head); ResNet-34 is [3, 4, 6, 3].
 */
public record ResNet(String name, List<Integer> blocksPerStage) implements Backbone {

  private static final int[] WIDTHS = {64, 128, 256, 512};

  public static final BackboneFamily FAMILY = BackboneFamily.of(List.of("resnet18", "resnet34"),
      (name, input) -> name.equals("resnet18") ? resnet18() : resnet34());

  public static ResNet resnet18() {
    return new ResNet("resnet18", List.of(2, 2, 2, 2));
  }

  public static ResNet resnet34() {
    return new ResNet("resnet34", List.of(3, 4, 6, 3));
  }

  @Override
  public Features forward(
      BuildContext ctx, Operand<TFloat32> images, Operand<TFloat32> field, BlockHook prompt) {
    BlockTrace hook = new BlockTrace(prompt);
    Ops tf = ctx.tf();
    BuildContext stem = ctx.child("stem");
    Operand<TFloat32> x = Conv2d.of(64, 3, 1).applyWithField(stem.child("conv"), images, field);
    x = tf.nn.relu(BatchNorm.DEFAULT.apply(stem.child("bn"), x));
    int hooked = 0;
    for (int s = 0; s < WIDTHS.length; s++) {
      BuildContext stage = ctx.child("stage" + (s + 1));
      for (int b = 0; b < blocksPerStage.get(s); b++) {
        int stride = (s > 0 && b == 0) ? 2 : 1;
        x = hook.beforeBlock(hooked, x);
        x = basicBlock(stage.child("block" + (b + 1)), x, WIDTHS[s], stride);
        x = hook.afterBlock(hooked++, x);
      }
    }
    return hook.features(Pooling.globalAverage(tf, x));
  }

  /** {@code relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))}, the shortcut a 1x1 conv + BN when the shape changes. */
  private static Operand<TFloat32> basicBlock(BuildContext ctx, Operand<TFloat32> x, int width, int stride) {
    Ops tf = ctx.tf();
    Operand<TFloat32> y = Conv2d.of(width, 3, stride).apply(ctx.child("conv1"), x);
    y = tf.nn.relu(BatchNorm.DEFAULT.apply(ctx.child("bn1"), y));
    y = Conv2d.of(width, 3, 1).apply(ctx.child("conv2"), y);
    y = BatchNorm.DEFAULT.apply(ctx.child("bn2"), y);
    Operand<TFloat32> shortcut = x;
    if (stride != 1 || Shapes.staticDim(x, 3, "resnet block") != width) {
      BuildContext projection = ctx.child("shortcut");
      shortcut = Conv2d.of(width, 1, stride).apply(projection.child("conv"), x);
      shortcut = BatchNorm.DEFAULT.apply(projection.child("bn"), shortcut);
    }
    return tf.nn.relu(tf.math.add(y, shortcut));
  }

  @Override
  public int featureWidth() {
    return WIDTHS[WIDTHS.length - 1];
  }

  @Override
  public int blockCount() {
    return blocksPerStage.stream().mapToInt(Integer::intValue).sum();
  }

  /** PyTorch's default {@code nn.Linear} init for the kernel: U(-1/sqrt(in), 1/sqrt(in)). */
  @Override
  public Init headInit() {
    float bound = (float) (1 / Math.sqrt(featureWidth()));
    return Init.uniform(-bound, bound);
  }
}

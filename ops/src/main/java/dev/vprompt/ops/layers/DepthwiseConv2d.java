package dev.vprompt.ops.layers;

import dev.vprompt.ops.Decay;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Init;
import dev.vprompt.ops.Shapes;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** Depthwise convolution: each input channel gets its own {@code multiplier} filters. */
public record DepthwiseConv2d(int kernel, int multiplier, int stride, int dilation, boolean bias) {

  public DepthwiseConv2d {
    Shapes.requirePositive(kernel, "depthwise kernel size");
    Shapes.requirePositive(multiplier, "depthwise multiplier");
    Shapes.requirePositive(stride, "depthwise stride");
    Shapes.requirePositive(dilation, "depthwise dilation");
    if (dilation > 1 && stride > 1) {
      throw new IllegalArgumentException("depthwise dilation > 1 needs stride 1");
    }
  }

  public Operand<TFloat32> apply(BuildContext ctx, Operand<TFloat32> x) {
    Shapes.requireRank(x, 4, "depthwise conv " + ctx.prefix());
    int in = Shapes.staticDim(x, 3, "depthwise conv " + ctx.prefix());
    Operand<TFloat32> w =
        DilatedKernel.spread(
            ctx.tf(),
            ctx.weight("kernel", Shape.of(kernel, kernel, in, multiplier), Init.kaimingNormalFanOut(), Decay.DECAYED)
                .variable(),
            kernel,
            dilation,
            in,
            multiplier);
    Operand<TFloat32> y =
        ctx.tf()
            .nn
            .depthwiseConv2dNative(
                x, w, List.of(1L, (long) stride, (long) stride, 1L), Padding.SAME.name());
    if (bias) {
      y =
          ctx.tf()
              .nn
              .biasAdd(
                  y,
                  ctx.weight("bias", Shape.of((long) in * multiplier), Init.zeros(), Decay.NOT_DECAYED).variable());
    }
    return y;
  }
}

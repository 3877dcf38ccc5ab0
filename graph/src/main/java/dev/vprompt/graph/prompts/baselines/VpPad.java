package dev.vprompt.graph.prompts.baselines;

import dev.vprompt.ops.Decay;
import dev.vprompt.graph.prompts.PromptLayer;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Init;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * VP's padding prompt (Bahng et al. 2022): a learnable frame of width p around the normalised image,
 * the interior zero: {@code top}, {@code bottom} {@code [p, W, C]} and {@code left}, {@code right} {@code
 * [H - 2p, p, C]}, drawn from N(0, 1) as the reference code's {@code torch.randn}; {@code C (HW - (H -
 * 2p)(W - 2p))} parameters.
 *
 * @param width p. VP uses 30 for 224x224 images (13% of the side); vprompt's default 4 is that fraction
 *     of 32 pixels (4.3) and of 28 (3.75), rounded
 */
public record VpPad(int width) implements FieldPrompt {

  public static final String NAME = "vp-pad";
  public static final int DEFAULT_WIDTH = 4;
  private static final float INIT_STD = 1f;

  public VpPad {
    if (width < 1) {
      throw new IllegalArgumentException("vp-pad's width must be at least 1 pixel, got " + width);
    }
  }

  public static VpPad defaults() {
    return new VpPad(DEFAULT_WIDTH);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void validate(InputSpec input, Backbone backbone) {
    int side = Math.min(input.height(), input.width());
    if (2 * width >= side) {
      throw new IllegalArgumentException("vp-pad width " + width + " is at least half the image " + input
          + "; the frame would leave no interior");
    }
  }

  /** The frame: the four learned strips around a zero interior. */
  @Override
  public Operand<TFloat32> field(BuildContext ctx, InputSpec input) {
    Ops tf = ctx.tf();
    int inner = input.height() - 2 * width;
    int channels = input.channels();
    Init init = Init.normal(INIT_STD);
    Operand<TFloat32> top = ctx.weight("top", Shape.of(width, input.width(), channels), init, Decay.NOT_DECAYED).variable();
    Operand<TFloat32> bottom = ctx.weight("bottom", Shape.of(width, input.width(), channels), init, Decay.NOT_DECAYED).variable();
    Operand<TFloat32> left = ctx.weight("left", Shape.of(inner, width, channels), init, Decay.NOT_DECAYED).variable();
    Operand<TFloat32> right = ctx.weight("right", Shape.of(inner, width, channels), init, Decay.NOT_DECAYED).variable();
    Operand<TFloat32> interior =
        tf.zeros(tf.constant(new long[] {inner, input.width() - 2 * width, channels}), TFloat32.class);
    Operand<TFloat32> middle = tf.concat(List.of(left, interior, right), tf.constant(1));
    return tf.concat(List.of(top, middle, bottom), tf.constant(0));
  }

  /** {@code C (H W - (H - 2p)(W - 2p))}. */
  public long parameterCount(InputSpec input) {
    long all = (long) input.height() * input.width();
    long interior = (long) (input.height() - 2 * width) * (input.width() - 2 * width);
    return input.channels() * (all - interior);
  }

  @Override
  public List<PromptLayer> layers(InputSpec input, Backbone backbone) {
    return List.of(new PromptLayer(PromptLayer.INPUT, input.channels(), input.height(), input.width(),
        PromptLayer.NO_RANK, parameterCount(input)));
  }
}

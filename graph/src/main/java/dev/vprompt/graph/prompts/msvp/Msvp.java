package dev.vprompt.graph.prompts.msvp;

import dev.vprompt.ops.Decay;
import dev.vprompt.graph.prompts.Contribution;
import dev.vprompt.graph.BlockHook;
import dev.vprompt.graph.prompts.Prompt;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Init;
import dev.vprompt.ops.Shapes;
import dev.vprompt.ops.layers.Resize;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Multi-scale visual prompting (Khazem, "Multi-Scale Visual Prompting for Lightweight Small-Image Classification"): a global {@code [C,1,1]}, a mid {@code [C,Sm,Sm]} and a
 * local {@code [C,Sl,Sl]} prompt map (stored NHWC as {@code [1,S,S,C]}), initialised N(0, 0.01),
 * upsampled bilinearly with half-pixel centres to the image size and fused with the normalised image.
 *
 * <ul>
 *   <li>{@code add} (default, eq. 12): {@code X + mean_s Up(P_s)}; {@code C(1 + Sm^2 + Sl^2)} params.
 *   <li>{@code gated}: {@code X + sigmoid(g) mean_s Up(P_s)}, g per channel, initialised 0; {@code +C}.
 *   <li>{@code concat} (eq. 8-10): {@code Conv1x1([X, Up(P_g), Up(P_m), Up(P_l)])} from (n+1)C to C
 *       channels with bias, Kaiming-normal fan-out; {@code +(n+1)C^2 + C}.
 * </ul>
 *
 * @param midSize Sm, 4 in the experiments and the reference code
 * @param localSize Sl, 8 in the experiments and the reference code (the method section suggests 7 for
 *     28x28)
 */
public record Msvp(Scales scales, Fusion fusion, int midSize, int localSize, float initStd)
    implements Prompt {

  public static final String NAME = "msvp";
  public static final int DEFAULT_MID = 4;
  public static final int DEFAULT_LOCAL = 8;
  public static final float DEFAULT_INIT_STD = 0.01f;

  /** Which prompt maps exist (Table III's ablation). */
  public enum Scales {
    GLOBAL("global"), GLOBAL_MID("global+mid"), FULL("full");

    private final String label;

    Scales(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    public static Scales parse(String text) {
      for (Scales s : values()) {
        if (s.label.equalsIgnoreCase(text)) {
          return s;
        }
      }
      throw new IllegalArgumentException(
          "unknown MSVP scales '" + text + "'; known: global, global+mid, full");
    }
  }

  /** How the prompt meets the image (Table IV's ablation). */
  public enum Fusion {
    ADD, CONCAT, GATED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Fusion parse(String text) {
      for (Fusion f : values()) {
        if (f.label().equalsIgnoreCase(text)) {
          return f;
        }
      }
      throw new IllegalArgumentException("unknown MSVP fusion '" + text + "'; known: add, concat, gated");
    }
  }

  public Msvp {
    Shapes.requirePositive(midSize, "MSVP mid size");
    Shapes.requirePositive(localSize, "MSVP local size");
    if (!(initStd >= 0f)) {
      throw new IllegalArgumentException("MSVP init std must be >= 0, got " + initStd);
    }
  }

  public static Msvp defaults() {
    return new Msvp(Scales.FULL, Fusion.ADD, DEFAULT_MID, DEFAULT_LOCAL, DEFAULT_INIT_STD);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** add and gated add an image-independent field, built once as {@code apply(0)}; concat mixes the image's channels. */
  @Override
  public Contribution build(BuildContext ctx, Operand<TFloat32> images, Backbone backbone) {
    return additiveConstant() ? Contribution.additive(ctx, images, this::apply)
        : Contribution.of(apply(ctx, images), BlockHook.NONE);
  }

  /** add and gated add an image-independent field; concat mixes the image's channels. */
  public boolean additiveConstant() {
    return fusion != Fusion.CONCAT;
  }

  @Override
  public void validate(InputSpec input, Backbone backbone) {
    int smaller = Math.min(input.height(), input.width());
    if (scales != Scales.GLOBAL && midSize > smaller) {
      throw new IllegalArgumentException(
          "MSVP mid prompt " + midSize + "x" + midSize + " is larger than the image " + input);
    }
    if (scales == Scales.FULL && localSize > smaller) {
      throw new IllegalArgumentException(
          "MSVP local prompt " + localSize + "x" + localSize + " is larger than the image " + input);
    }
  }

  /** One prompt map: its variable name and its side in pixels. */
  public record PromptMap(String name, int side) {}

  /** The active prompt maps, coarsest first. */
  public List<PromptMap> maps() {
    List<PromptMap> maps = new ArrayList<>();
    maps.add(new PromptMap("global", 1));
    if (scales != Scales.GLOBAL) {
      maps.add(new PromptMap("mid", midSize));
    }
    if (scales == Scales.FULL) {
      maps.add(new PromptMap("local", localSize));
    }
    return maps;
  }

  public Operand<TFloat32> apply(BuildContext ctx, Operand<TFloat32> images) {
    Shapes.requireRank(images, 4, "MSVP");
    int height = Shapes.staticDim(images, 1, "MSVP");
    int width = Shapes.staticDim(images, 2, "MSVP");
    int channels = Shapes.staticDim(images, 3, "MSVP");
    validate(new InputSpec(height, width, channels), null);
    BuildContext msvp = ctx.child(NAME);
    Ops tf = msvp.tf();
    List<Operand<TFloat32>> upsampled = upsampledMaps(msvp, height, width, channels);
    return switch (fusion) {
      case ADD -> tf.math.add(images, mean(tf, upsampled));
      case GATED -> tf.math.add(images, tf.math.mul(gate(msvp, channels), mean(tf, upsampled)));
      case CONCAT -> concatConv(msvp, images, upsampled, channels);
    };
  }

  /** Each active map as {@code [1, H, W, C]}. */
  private List<Operand<TFloat32>> upsampledMaps(BuildContext ctx, int height, int width, int channels) {
    List<Operand<TFloat32>> upsampled = new ArrayList<>();
    for (PromptMap map : maps()) {
      Operand<TFloat32> p =
          ctx.weight(map.name(), Shape.of(1, map.side(), map.side(), channels), Init.normal(initStd), Decay.NOT_DECAYED)
              .variable();
      upsampled.add(Resize.bilinear(ctx.tf(), p, height, width));
    }
    return upsampled;
  }

  private static Operand<TFloat32> mean(Ops tf, List<Operand<TFloat32>> maps) {
    Operand<TFloat32> sum = maps.size() == 1 ? maps.get(0) : tf.math.addN(maps);
    return tf.math.mul(sum, tf.constant(1f / maps.size()));
  }

  private static Operand<TFloat32> gate(BuildContext ctx, int channels) {
    return ctx.tf().math.sigmoid(ctx.weight("gate", Shape.of(channels), Init.zeros(), Decay.NOT_DECAYED).variable());
  }

  /**
   * The 1x1 convolution over [X, prompts] is linear, so it is computed as W_x X + (W_p P + b): the
   * prompt half is image-independent and stays {@code [1, H, W, C]}, never tiled to the batch.
   */
  private Operand<TFloat32> concatConv(
      BuildContext ctx, Operand<TFloat32> images, List<Operand<TFloat32>> upsampled, int channels) {
    Ops tf = ctx.tf();
    int inputs = (upsampled.size() + 1) * channels;
    Operand<TFloat32> kernel =
        ctx.child("fuse").weight("kernel", Shape.of(1, 1, inputs, channels), Init.kaimingNormalFanOut(), Decay.DECAYED)
            .variable();
    Operand<TFloat32> bias = ctx.child("fuse").weight("bias", Shape.of(channels), Init.zeros(), Decay.NOT_DECAYED).variable();
    Operand<TFloat32> imageKernel = tf.stridedSlice(
        kernel, Indices.all(), Indices.all(), Indices.slice(0, channels), Indices.all());
    Operand<TFloat32> promptKernel = tf.stridedSlice(
        kernel, Indices.all(), Indices.all(), Indices.slice(channels, inputs), Indices.all());
    List<Long> unit = List.of(1L, 1L, 1L, 1L);
    Operand<TFloat32> fromImage = tf.nn.conv2d(images, imageKernel, unit, "VALID");
    Operand<TFloat32> stacked = tf.concat(upsampled, tf.constant(3));
    Operand<TFloat32> fromPrompt = tf.nn.biasAdd(tf.nn.conv2d(stacked, promptKernel, unit, "VALID"), bias);
    return tf.math.add(fromImage, fromPrompt);
  }

  /** Extra parameters for C input channels, as the paper counts them (eq. 10, Tables II and IV). */
  public long parameterCount(int channels) {
    long maps = 0;
    for (PromptMap map : maps()) {
      maps += (long) map.side() * map.side() * channels;
    }
    return switch (fusion) {
      case ADD -> maps;
      case GATED -> maps + channels;
      case CONCAT -> maps + (long) (maps().size() + 1) * channels * channels + channels;
    };
  }
}

package dev.vprompt.ops;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * How a variable gets its first value. Random initialisers draw from stateless TensorFlow ops seeded by
 * the store's seed and the variable's name, so a variable's initial value does not depend on the order
 * in which a model creates its variables, nor on the other variables it has.
 */
@FunctionalInterface
public interface Init {

  /**
   * Builds the initial value.
   *
   * @param seed a {@code [2]} int64 seed unique to the variable
   */
  Operand<TFloat32> create(Ops tf, Shape shape, Operand<TInt64> seed);

  static Init zeros() {
    return (tf, shape, seed) -> tf.zeros(tf.constant(shape), TFloat32.class);
  }

  static Init constant(float value) {
    return (tf, shape, seed) -> tf.fill(tf.constant(shape), tf.constant(value));
  }

  static Init normal(float stddev) {
    return (tf, shape, seed) ->
        tf.math.mul(tf.random.statelessRandomNormal(tf.constant(shape), seed), tf.constant(stddev));
  }

  /**
   * PyTorch's and timm's {@code trunc_normal_(std=s)}: a normal of std s truncated at the absolute
   * bounds a = -2, b = 2 (their defaults), not at two standard deviations. For s of a few hundredths
   * the bounds lie tens of standard deviations out, so this is N(0, s^2) with the (never reached)
   * bounds applied by clipping.
   */
  static Init torchTruncatedNormal(float stddev) {
    return (tf, shape, seed) ->
        tf.clipByValue(normal(stddev).create(tf, shape, seed), tf.constant(-2f), tf.constant(2f));
  }

  /**
   * PyTorch's default {@code nn.Linear} initialisation, kernel and bias together: U(-1/sqrt(fan_in),
   * 1/sqrt(fan_in)) for both ({@code kaiming_uniform_(a=sqrt(5))} reduces to that bound). Layers that
   * see this init draw their bias from the same bound ({@code Dense}).
   */
  static Init torchLinear() {
    return TorchLinear.INSTANCE;
  }

  /** The marker behind {@link #torchLinear()}: a kernel init whose layer also draws its bias. */
  enum TorchLinear implements Init {
    INSTANCE;

    @Override
    public Operand<TFloat32> create(Ops tf, Shape shape, Operand<TInt64> seed) {
      float bound = (float) (1 / Math.sqrt(Fans.fanIn(shape)));
      return uniform(-bound, bound).create(tf, shape, seed);
    }

    /** The bias of a layer with this fan-in. */
    public Init bias(long fanIn) {
      float bound = (float) (1 / Math.sqrt(fanIn));
      return uniform(-bound, bound);
    }
  }

  /**
   * Normal, redrawn beyond two standard deviations (TensorFlow's truncated normal; its effective std is
   * 0.88 s, e.g. 0.0176 for s = 0.02). Not PyTorch's {@code trunc_normal_}: see {@link
   * #torchTruncatedNormal}.
   */
  static Init truncatedNormal(float stddev) {
    return (tf, shape, seed) ->
        tf.math.mul(
            tf.random.statelessTruncatedNormal(tf.constant(shape), seed), tf.constant(stddev));
  }

  static Init uniform(float low, float high) {
    return (tf, shape, seed) ->
        tf.math.add(
            tf.math.mul(
                tf.random.statelessRandomUniform(tf.constant(shape), seed),
                tf.constant(high - low)),
            tf.constant(low));
  }

  /**
   * He et al. normal with fan-out, PyTorch's {@code kaiming_normal_(mode="fan_out",
   * nonlinearity="relu")}: std = sqrt(2 / fan_out), fan_out = receptive field x output channels.
   */
  static Init kaimingNormalFanOut() {
    return (tf, shape, seed) -> normal((float) Math.sqrt(2.0 / Fans.fanOut(shape))).create(tf, shape, seed);
  }

  /** Glorot (Xavier) uniform: U(-a, a), a = sqrt(6 / (fan_in + fan_out)). */
  static Init glorotUniform() {
    return (tf, shape, seed) -> {
      float a = (float) Math.sqrt(6.0 / (Fans.fanIn(shape) + Fans.fanOut(shape)));
      return uniform(-a, a).create(tf, shape, seed);
    };
  }

  /** Fan sizes for kernels laid out as TensorFlow does: {@code [..receptive field.., in, out]}. */
  final class Fans {
    private Fans() {}

    static long receptiveField(Shape shape) {
      long field = 1;
      for (int i = 0; i < shape.numDimensions() - 2; i++) {
        field *= shape.get(i);
      }
      return field;
    }

    static long fanIn(Shape shape) {
      int rank = shape.numDimensions();
      return rank < 2 ? shape.size() : receptiveField(shape) * shape.get(rank - 2);
    }

    static long fanOut(Shape shape) {
      int rank = shape.numDimensions();
      return rank < 2 ? shape.size() : receptiveField(shape) * shape.get(rank - 1);
    }
  }
}

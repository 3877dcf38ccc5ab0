package dev.vprompt.ops.weights;

import java.util.Arrays;
import java.util.List;

/**
 * How a graph variable's value is made from one or more checkpoint tensors: PyTorch layouts to
 * TensorFlow's ({@code [out, in]} linears to {@code [in, out]}, OIHW convolutions to HWIO), a part of a
 * fused tensor, a resampled position embedding.
 */
public interface Conversion {

  /** Null when sources of these shapes make a variable of the target shape, else the reason why not. */
  String check(List<long[]> sourceShapes, long[] target);

  /** The variable's values (row-major), from the sources' values; called only after {@link #check} passed. */
  float[] apply(List<float[]> sources, List<long[]> sourceShapes, long[] target);

  /** The same layout and shape (biases, norms, embeddings). */
  static Conversion copy() {
    return new Permutation("copy");
  }

  /** {@code nn.Linear.weight [out, in]} to a dense kernel {@code [in, out]}. */
  static Conversion linear() {
    return new Permutation("linear", 1, 0);
  }

  /** {@code nn.Conv2d.weight [out, in, kh, kw]} (OIHW) to {@code [kh, kw, in, out]} (HWIO). */
  static Conversion conv() {
    return new Permutation("conv", 2, 3, 1, 0);
  }

  /**
   * A depthwise {@code nn.Conv2d(groups=C).weight [C * m, 1, kh, kw]} to TensorFlow's depthwise filter
   * {@code [kh, kw, C, m]} (for m = 1, a plain axis permutation).
   */
  static Conversion depthwise() {
    return new Permutation("depthwise", 2, 3, 0, 1);
  }

  /** Any axis permutation: target axis i is source axis {@code order[i]}. */
  static Conversion permute(String what, int... order) {
    return new Permutation(what, order);
  }

  /**
   * Part {@code part} of {@code parts} equal slices of the source's first axis, then {@code then}: the q, k or
   * v of a fused {@code qkv} projection ({@code [3d, d]} weight, {@code [3d]} bias).
   */
  static Conversion slice(int part, int parts, Conversion then) {
    return new Slice(part, parts, then);
  }

  /**
   * An OIHW convolution whose input channels are adapted as timm's {@code adapt_input_conv} does: to one
   * channel by summing the kernel over the source's channels; equal counts are converted unchanged.
   */
  static Conversion convAdaptingInputChannels() {
    return new InputChannelAdapter();
  }

  static String shapeText(long[] shape) {
    return Arrays.toString(shape);
  }

  static long elements(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }
}

package dev.vprompt.ops.layers;

/** How a convolution pads its input. */
public enum Padding {
  /**
   * TensorFlow's SAME: output size ceil(in / stride), the padding split with the extra pixel after. At
   * stride 2 on an even size it pads 0 before and 1 after, so a 3x3 window is centred on odd pixels.
   */
  SAME,
  VALID,
  /**
   * PyTorch's {@code padding=k // 2} (dilated: {@code d (k - 1) / 2}) on both sides, at every stride: the
   * 3x3 window at stride 2 is centred on even pixels, the same pixels a 1x1 stride-2 shortcut samples.
   * Equal to SAME at stride 1 for odd kernels.
   */
  SYMMETRIC;

  /** The pixels added on each side of a spatial axis for a kernel spanning {@code span} pixels. */
  static int symmetricPad(int span) {
    return (span - 1) / 2;
  }
}

package dev.vprompt.ops.weights;

import java.util.List;

/** OIHW to HWIO, summing over the input channels when the variable has one (timm's {@code adapt_input_conv}). */
record InputChannelAdapter() implements Conversion {

  @Override
  public String check(List<long[]> sourceShapes, long[] target) {
    if (sourceShapes.size() != 1 || sourceShapes.get(0).length != 4 || target.length != 4) {
      return "an input convolution needs one OIHW tensor and an HWIO variable";
    }
    long[] s = sourceShapes.get(0);
    boolean fits = s[2] == target[0] && s[3] == target[1] && s[0] == target[3] && (s[1] == target[2] || target[2] == 1);
    return fits ? null : Conversion.shapeText(s) + " cannot become " + Conversion.shapeText(target)
        + " (input channels are kept or summed to 1)";
  }

  @Override
  public float[] apply(List<float[]> sources, List<long[]> sourceShapes, long[] target) {
    long[] s = sourceShapes.get(0);
    float[] hwio = Layouts.permute(sources.get(0), s, 2, 3, 1, 0);
    if (target[2] == s[1]) {
      return hwio;
    }
    int spatial = (int) (s[2] * s[3]);
    int in = (int) s[1];
    int out = (int) s[0];
    float[] summed = new float[spatial * out];
    for (int p = 0; p < spatial; p++) {
      for (int i = 0; i < in; i++) {
        for (int o = 0; o < out; o++) {
          summed[p * out + o] += hwio[(p * in + i) * out + o];
        }
      }
    }
    return summed;
  }
}

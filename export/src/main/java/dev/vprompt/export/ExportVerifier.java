package dev.vprompt.export;

import dev.vprompt.export.serving.PngImages;
import dev.vprompt.export.serving.Predictions;
import dev.vprompt.export.serving.ServedModel;
import dev.vprompt.core.data.ImageSet;
import dev.vprompt.core.eval.InferenceModel;
import dev.vprompt.core.run.RunConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Loads a freshly written SavedModel back and checks it against the run's own inference graph on the
 * same test images: serving_default's logits within {@link #TOLERANCE}, its classes the argmax, its
 * probabilities summing to one, predict_encoded equal to serving_default on PNG copies of the images,
 * and the class-name asset equal to the run's class names.
 */
final class ExportVerifier {

  /**
   * Max |logit difference| allowed between the exported model and the run's inference graph, for logits of
   * magnitude up to 1; larger logits (an imported backbone's, say) get this fraction of their largest
   * magnitude, since float32 rounding grows with it.
   */
  static final double TOLERANCE = 1e-5;

  /** The tolerance for logits whose largest magnitude is {@code scale}. */
  static double tolerance(float[] logits) {
    double largest = 1;
    for (float v : logits) {
      largest = Math.max(largest, Math.abs(v));
    }
    return TOLERANCE * largest;
  }
  static final int ENCODED_IMAGES = 16;

  private ExportVerifier() {}

  /**
   * @param sample the test images to compare on, in the run's input shape
   * @throws ExportVerificationException when the exported model disagrees
   */
  static Verification verify(Path modelDir, RunConfig config, Path checkpointDir, ImageSet sample, int threads) {
    int n = sample.count();
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    float[] expected;
    try (InferenceModel reference = new InferenceModel(config, sample, checkpointDir, threads)) {
      expected = reference.logits(rows);
    }
    try (ServedModel served = ServedModel.load(modelDir, threads)) {
      Predictions actual = served.predict(sample.pixels(), n);
      double difference = actual.maxLogitDifference(expected);
      double tolerance = tolerance(expected);
      if (!(difference <= tolerance)) {
        throw new ExportVerificationException(String.format(Locale.ROOT,
            "the exported model's logits differ from the run's inference graph by up to %.3g (tolerance %.1e) on %d "
                + "test images", difference, tolerance, n));
      }
      checkOutputs(actual, config.classNames().size());
      if (!served.classNames().equals(config.classNames())) {
        throw new ExportVerificationException("the class-name asset reads " + served.classNames() + ", not "
            + config.classNames());
      }
      int encoded = served.acceptsEncodedImages() ? Math.min(ENCODED_IMAGES, n) : 0;
      double encodedDifference = encoded == 0 ? 0 : checkEncoded(served, sample, encoded, actual);
      return new Verification(n, difference, encoded, encodedDifference, tolerance);
    }
  }

  private static void checkOutputs(Predictions p, int classes) {
    if (p.classes() != classes) {
      throw new ExportVerificationException("the exported model returns " + p.classes() + " classes, not " + classes);
    }
    for (int i = 0; i < p.count(); i++) {
      double sum = 0;
      int argmax = 0;
      for (int c = 0; c < classes; c++) {
        sum += p.probabilities()[i * classes + c];
        if (p.logits()[i * classes + c] > p.logits()[i * classes + argmax]) {
          argmax = c;
        }
      }
      if (Math.abs(sum - 1) > 1e-4) {
        throw new ExportVerificationException("image " + i + "'s probabilities sum to " + sum);
      }
      if (p.predicted()[i] != argmax) {
        throw new ExportVerificationException("image " + i + " is classified " + p.predicted()[i]
            + " but its largest logit is " + argmax);
      }
    }
  }

  private static double checkEncoded(ServedModel served, ImageSet sample, int count, Predictions raw) {
    List<byte[]> pngs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      pngs.add(PngImages.encode(sample.pixels(), i * sample.imageSize(), sample.height(), sample.width(),
          sample.channels()));
    }
    Predictions decoded = served.predictEncoded(pngs);
    float[] rawLogits = java.util.Arrays.copyOf(raw.logits(), count * raw.classes());
    double difference = decoded.maxLogitDifference(rawLogits);
    if (!(difference <= tolerance(rawLogits))) {
      throw new ExportVerificationException(String.format(Locale.ROOT,
          "predict_encoded on PNG copies of %d test images differs from serving_default by up to %.3g", count,
          difference));
    }
    return difference;
  }
}

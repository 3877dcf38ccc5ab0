package dev.vprompt.export;

import java.util.Locale;

/**
 * What the export's check compared and the largest differences it found.
 *
 * @param images test images fed to serving_default and to the run's inference graph
 * @param maxLogitDifference the largest |logit difference| between the two
 * @param encodedImages PNG copies of those images fed to predict_encoded (0 when the model has none)
 * @param maxEncodedDifference the largest |logit difference| between predict_encoded and serving_default
 * @param tolerance the largest difference allowed (1e-5, times the largest logit magnitude when above 1)
 */
public record Verification(int images, double maxLogitDifference, int encodedImages, double maxEncodedDifference,
    double tolerance) {

  public String describe() {
    String encoded = encodedImages == 0 ? "" : String.format(Locale.ROOT,
        "; predict_encoded on %d PNG copies: max |difference| %.3g", encodedImages, maxEncodedDifference);
    return String.format(Locale.ROOT,
        "verified: serving_default vs the run's inference graph on %d test images: max |logit difference| %.3g"
            + " (tolerance %.1e)%s", images, maxLogitDifference, tolerance, encoded);
  }
}

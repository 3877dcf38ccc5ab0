package dev.vprompt.studies.report;

/**
 * How much the report computes beyond the tables.
 *
 * @param checkpoint whose confusion matrices, Grad-CAM and prompt maps are shown: best or last
 * @param gradcamImages test images per Grad-CAM figure; 0 for none
 * @param evaluate whether to evaluate runs that have no {@code eval-CHECKPOINT.json} yet (for the
 *     confusion matrices); without it only earlier evaluations are used
 * @param figures false for tables only
 */
public record ReportOptions(String checkpoint, int gradcamImages, boolean evaluate, boolean figures, int threads,
    int evalBatchSize) {

  public ReportOptions {
    if (!checkpoint.equals("best") && !checkpoint.equals("last")) {
      throw new IllegalArgumentException("--checkpoint must be best or last, got '" + checkpoint + "'");
    }
    if (gradcamImages < 0 || gradcamImages > 50) {
      throw new IllegalArgumentException("--gradcam must be between 0 and 50 images, got " + gradcamImages);
    }
    if (threads < 0) {
      throw new IllegalArgumentException("--threads must be >= 0 (0: all cores), got " + threads);
    }
    if (evalBatchSize < 1) {
      throw new IllegalArgumentException("--eval-batch-size must be at least 1, got " + evalBatchSize);
    }
  }

  public static ReportOptions defaults() {
    return new ReportOptions("best", 6, true, true, 0, 1000);
  }
}

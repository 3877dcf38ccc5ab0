package dev.vprompt.export.inspect;

/**
 * Something TF Serving would reject, or that an inference-only model should not hold.
 *
 * @param rule a stable identifier, e.g. {@code training-op}
 * @param node the node concerned, or null for the model as a whole
 */
public record Finding(String rule, String node, String message) {

  public static final String NO_SERVE_TAG = "no-serve-tag";
  public static final String NO_SIGNATURES = "no-signatures";
  public static final String NO_DEFAULT_SIGNATURE = "no-default-signature";
  public static final String EMPTY_METHOD_NAME = "empty-method-name";
  public static final String MISSING_TENSOR = "missing-signature-tensor";
  public static final String TRAINING_OP = "training-op";
  public static final String GRADIENT = "gradient";
  public static final String ASSIGN = "assign-outside-restore";
  public static final String RANDOM_OP = "random-op";
  public static final String TRAINING_BATCH_NORM = "training-batch-norm";
  public static final String UNSAVED_VARIABLE = "unsaved-variable";
  public static final String MISSING_ASSET = "missing-asset";
  public static final String DAMAGED_VARIABLE = "damaged-variable";
  public static final String CLASS_NAMES = "class-names-mismatch";
  public static final String BAD_WARMUP = "bad-warmup-request";

  @Override
  public String toString() {
    return rule + (node == null ? "" : " [" + node + "]") + ": " + message;
  }
}

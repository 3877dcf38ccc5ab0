package dev.vprompt.core.run;

/**
 * summary.json: what a finished run achieved and cost. Accuracies are fractions in [0, 1].
 *
 * @param promptEffectBest per prompted layer, RMS(prompt) / RMS(activation) of the best-validation
 *     checkpoint on the test images (see {@code PromptEffect}; below 1e-4 a prompt has collapsed)
 * @param promptEffectLast the same for the last checkpoint
 */
public record Summary(
  String dataset,
  String backbone,
  String prompt,
  String promptLabel,
  int epochs,
  long seed,
  int bestEpoch,
  double bestValAcc,
  double testAccBest,
  double testAccLast,
  long paramsBackbone,
  long paramsPrompt,
  long paramsHead,
  long paramsTotal,
  long paramsTrainable,
  long paramsFrozen,
  double promptOverheadPct,
  double trainSeconds,
  double meanEpochSeconds,
  double trainImagesPerSec,
  java.util.Map<String, Double> promptEffectBest,
  java.util.Map<String, Double> promptEffectLast) {

  public Summary(String dataset, String backbone, String prompt, String promptLabel, int epochs, long seed,
      int bestEpoch, double bestValAcc, double testAccBest, double testAccLast, long paramsBackbone,
      long paramsPrompt, long paramsHead, long paramsTotal, long paramsTrainable, long paramsFrozen,
      double promptOverheadPct, double trainSeconds, double meanEpochSeconds, double trainImagesPerSec) {
    this(dataset, backbone, prompt, promptLabel, epochs, seed, bestEpoch, bestValAcc, testAccBest, testAccLast,
        paramsBackbone, paramsPrompt, paramsHead, paramsTotal, paramsTrainable, paramsFrozen, promptOverheadPct,
        trainSeconds, meanEpochSeconds, trainImagesPerSec, null, null);
  }

  public Summary {
    promptEffectBest = promptEffectBest == null ? java.util.Map.of() : new java.util.LinkedHashMap<>(promptEffectBest);
    promptEffectLast = promptEffectLast == null ? java.util.Map.of() : new java.util.LinkedHashMap<>(promptEffectLast);
  }
}

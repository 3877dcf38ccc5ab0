package dev.vprompt.core.run;

/** summary.json: what a finished run achieved and cost. Accuracies are fractions in [0, 1]. */
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
  double trainImagesPerSec) {}

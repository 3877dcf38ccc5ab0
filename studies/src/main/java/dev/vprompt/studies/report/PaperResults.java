package dev.vprompt.studies.report;

import dev.vprompt.graph.prompts.msvp.Msvp;
import dev.vprompt.graph.prompts.msvp.MsvpSettings;
import dev.vprompt.graph.prompts.PromptSettings;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The MSVP paper's results (top-1 test accuracy in percent, single seed), to print beside measured
 * figures: Table I (baseline vs MSVP, three datasets and backbones), Table III (prompt scales) and
 * Table IV (fusions), the last two on Fashion-MNIST with ResNet-18. Keys: {@code dataset/backbone/prompt}
 * with the dataset kinds vprompt uses.
 */
public final class PaperResults {

  private static final Map<String, Double> TABLE_ONE = Map.ofEntries(
      Map.entry("mnist/cnn/none", 99.66), Map.entry("mnist/cnn/msvp", 99.61),
      Map.entry("mnist/resnet18/none", 99.73), Map.entry("mnist/resnet18/msvp", 99.67),
      Map.entry("mnist/vit-tiny/none", 97.02), Map.entry("mnist/vit-tiny/msvp", 97.11),
      Map.entry("fashion-mnist/cnn/none", 92.53), Map.entry("fashion-mnist/cnn/msvp", 92.58),
      Map.entry("fashion-mnist/resnet18/none", 93.53), Map.entry("fashion-mnist/resnet18/msvp", 93.63),
      Map.entry("fashion-mnist/vit-tiny/none", 77.35), Map.entry("fashion-mnist/vit-tiny/msvp", 78.27),
      Map.entry("cifar10/cnn/none", 89.2), Map.entry("cifar10/cnn/msvp", 90.1),
      Map.entry("cifar10/resnet18/none", 93.5), Map.entry("cifar10/resnet18/msvp", 94.2),
      Map.entry("cifar10/vit-tiny/none", 80.8), Map.entry("cifar10/vit-tiny/msvp", 82.1));

  /** Table III: MSVP scales with additive fusion (Fashion-MNIST, ResNet-18). */
  private static final Map<String, Double> TABLE_THREE = Map.of(
      "global", 93.58, "global+mid", 93.60, "full", 93.63);

  /** Table IV: MSVP fusions with all three scales (Fashion-MNIST, ResNet-18). */
  private static final Map<String, Double> TABLE_FOUR = Map.of(
      "add", 93.63, "concat", 93.59, "gated", 93.61);

  /** A figure of the paper and the table it comes from ("I", "III", "IV"). */
  public record Figure(double accuracyPct, String table) {}

  private PaperResults() {}

  /**
   * The paper's figure for a dataset kind, backbone and prompt with its settings, or empty. MSVP
   * settings other than the paper's map sizes (mid 4, local 8) have none.
   */
  public static Optional<Figure> lookup(String datasetKind, String backbone, PromptSettings prompt) {
    if (prompt.settings(MsvpSettings.class) == null) {
      OptionalDouble one = tableOne(datasetKind, backbone, prompt.name());
      return one.isPresent() ? Optional.of(new Figure(one.getAsDouble(), "I")) : Optional.empty();
    }
    MsvpSettings m = prompt.settings(MsvpSettings.class);
    if (m.mid() != Msvp.DEFAULT_MID || m.local() != Msvp.DEFAULT_LOCAL) {
      return Optional.empty();
    }
    boolean full = m.scales().equals(Msvp.Scales.FULL.label());
    boolean add = m.fusion().equals(Msvp.Fusion.ADD.label());
    if (full && add) {
      OptionalDouble one = tableOne(datasetKind, backbone, prompt.name());
      return one.isPresent() ? Optional.of(new Figure(one.getAsDouble(), "I")) : Optional.empty();
    }
    if (!datasetKind.equals("fashion-mnist") || !backbone.equals("resnet18")) {
      return Optional.empty();
    }
    if (add) {
      return Optional.ofNullable(TABLE_THREE.get(m.scales())).map(v -> new Figure(v, "III"));
    }
    return full ? Optional.ofNullable(TABLE_FOUR.get(m.fusion())).map(v -> new Figure(v, "IV")) : Optional.empty();
  }

  /** The paper's accuracy in percent for a full dataset, or empty (subsets, other settings). */
  public static OptionalDouble tableOne(String datasetKind, String backbone, String prompt) {
    Double value = TABLE_ONE.get(datasetKind + "/" + backbone + "/" + prompt);
    return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
  }
}

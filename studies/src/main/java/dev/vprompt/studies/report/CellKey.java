package dev.vprompt.studies.report;

import dev.vprompt.graph.prompts.baselines.NoPrompt;
import dev.vprompt.graph.prompts.PromptSettings;
import dev.vprompt.core.run.RunConfig;
import dev.vprompt.core.run.TrainingSettings;
import dev.vprompt.core.run.TransferSettings;
import java.util.List;

/**
 * What makes runs repeats of one experiment: everything in config.json but the seed, the thread count,
 * the evaluation batch size and the versions. Runs with equal keys are one cell of the report, their
 * seeds its sample.
 */
public record CellKey(
    String data,
    String datasetName,
    String datasetKind,
    String input,
    String backbone,
    Integer patchSize,
    PromptSettings prompt,
    TrainingSettings training,
    List<Integer> dataClasses,
    TransferSettings transfer) {

  public static CellKey of(RunConfig config) {
    TrainingSettings t = config.training();
    TrainingSettings withoutSeed = new TrainingSettings(t.epochs(), t.batchSize(), t.learningRate(), t.weightDecay(),
        t.optimizer(), t.decay(), t.schedule(), t.warmupSteps(), 0, t.valSplit(), t.augment(), 0, 1);
    return new CellKey(config.data(), config.datasetName(), config.datasetKind(), config.input(), config.backbone(),
        config.patchSize(), config.prompt(), withoutSeed, config.dataClasses(), config.transfer());
  }

  /** The same experiment without a prompt: the baseline a prompted cell is compared with. */
  public CellKey baseline() {
    return new CellKey(data, datasetName, datasetKind, input, backbone, patchSize, PromptSettings.of(NoPrompt.NAME),
        training, dataClasses, transfer);
  }

  /**
   * The same experiment with this prompt at its default settings (MSVP: full scales, additive fusion):
   * what an ablation of one option is measured against. Null for the baseline and for a prompt already
   * at its defaults.
   */
  public CellKey defaults() {
    PromptSettings defaults = PromptSettings.of(prompt.name());
    if (isBaseline() || defaults.equals(prompt)) {
      return null;
    }
    return new CellKey(data, datasetName, datasetKind, input, backbone, patchSize, defaults, training, dataClasses,
        transfer);
  }

  public boolean isBaseline() {
    return NoPrompt.NAME.equals(prompt.name());
  }

  /**
   * Whether the paper's figures apply: a full dataset of the paper (not the embedded subset, no class
   * selection) trained from scratch with the paper's protocol (§IV-D), epochs aside: the table shows
   * those, and fewer epochs against the paper's figure is still a useful reference.
   */
  public boolean comparableToPaper() {
    TrainingSettings t = training;
    boolean protocol = t.learningRate() == 1e-3 && t.weightDecay() == 1e-4 && t.optimizer().equals("adam")
        && t.decay().equals("all") && t.schedule().equals("cosine") && t.batchSize() == 128 && t.valSplit() == 0.1
        && t.augment().equals("auto") && t.warmupSteps() == 0;
    return protocol && !"embedded".equals(data) && dataClasses == null && transfer == null;
  }
}

package dev.vprompt.train;

import dev.vprompt.core.run.TrainingSettings;
import dev.vprompt.core.run.TransferSettings;
import dev.vprompt.graph.prompts.PromptSettings;
import dev.vprompt.graph.InputResize;
import java.nio.file.Path;
import java.util.List;

/**
 * A training run as {@code vprompt train}'s options describe it, for {@link Training#start}: the command
 * line, a sweep or any library caller builds one.
 *
 * @param data the dataset spec ({@code fashion-mnist:DIR}, ...), or null for the embedded subset
 * @param dataClasses the classes to keep, renumbered 0..k-1 in this order, or null for all
 * @param trainPerClass at most this many training images per class, or null
 * @param backbone a registered backbone name
 * @param patchSize the ViT's patch size, or null for its rule
 * @param prompt the prompt and its family's settings
 * @param training how to train (validated when built)
 * @param transfer initial weights and freezing; {@code initFrom} null and {@code freeze none} for a run
 *     from scratch
 * @param out the run directory, or null for {@code runs/DATASET-BACKBONE-PROMPT-sSEED}
 * @param warmupFraction when positive, the warm-up is this fraction of the run's steps (a protocol's,
 *     e.g. InsVP's 20%), replacing {@code training.warmupSteps()} once the data is known
 * @param resize the in-graph resize of each batch to the backbone's input, or null for none
 */
public record TrainRequest(
    String data,
    List<Integer> dataClasses,
    Integer trainPerClass,
    String backbone,
    Integer patchSize,
    PromptSettings prompt,
    TrainingSettings training,
    TransferSettings transfer,
    Path out,
    double warmupFraction,
    InputResize resize) {

  public TrainRequest(String data, List<Integer> dataClasses, Integer trainPerClass, String backbone,
      Integer patchSize, PromptSettings prompt, TrainingSettings training, TransferSettings transfer, Path out) {
    this(data, dataClasses, trainPerClass, backbone, patchSize, prompt, training, transfer, out, 0, null);
  }

  public TrainRequest {
    dataClasses = dataClasses == null ? null : List.copyOf(dataClasses);
    if (!(warmupFraction >= 0 && warmupFraction < 1)) {
      throw new IllegalArgumentException("warm-up fraction must be in [0, 1), got " + warmupFraction);
    }
    if (transfer == null) {
      transfer = new TransferSettings(null, null, null, "none", "new");
    }
  }

  /** Whether the run starts from other weights or freezes anything (config.json then records how). */
  public boolean transfers() {
    return transfer.initFrom() != null || !transfer.freeze().equals("none");
  }
}

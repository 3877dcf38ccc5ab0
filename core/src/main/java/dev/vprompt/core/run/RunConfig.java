package dev.vprompt.core.run;

import dev.vprompt.graph.InputResize;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.graph.prompts.PromptSettings;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to rebuild a run's graphs and data: written as config.json when the run starts,
 * read back by {@code --resume}, {@code eval} and {@code export}.
 *
 * @param data the data spec as given ({@code fashion-mnist:DIR}), or {@code embedded} for testdata
 * @param datasetKind the reader used ({@code fashion-mnist}, {@code cifar10}, ...), which picks the
 *     augmentation under {@code --augment auto}
 * @param normMean per-channel mean of the training split's pixels scaled to [0, 1]
 * @param normStd per-channel standard deviation of the same
 * @param dataClasses the classes of the dataset kept (renumbered 0..k-1), or null for all
 * @param transfer initial weights and freezing, or null for training from scratch
 * @param trainPerClass at most this many training images per class (the first in file order), or null
 * @param resize the in-graph resize of each batch to the backbone's input size, or null (absent in runs
 *     written before it existed) when the backbone takes the input as stored
 * @param workerData how the towers hold the training split, or null (runs written before it existed,
 *     which trained {@link WorkerData#REPLICATED})
 */
public record RunConfig(
    String data,
    String datasetName,
    String datasetKind,
    String input,
    List<String> classNames,
    String backbone,
    Integer patchSize,
    PromptSettings prompt,
    float[] normMean,
    float[] normStd,
    TrainingSettings training,
    Map<String, String> versions,
    List<Integer> dataClasses,
    TransferSettings transfer,
    Integer trainPerClass,
    InputResize resize,
    WorkerData workerData) {

  /** No record of the worker data: replicated, as every run before the mode existed. */
  public RunConfig(String data, String datasetName, String datasetKind, String input, List<String> classNames,
      String backbone, Integer patchSize, PromptSettings prompt, float[] normMean, float[] normStd,
      TrainingSettings training, Map<String, String> versions, List<Integer> dataClasses, TransferSettings transfer,
      Integer trainPerClass, InputResize resize) {
    this(data, datasetName, datasetKind, input, classNames, backbone, patchSize, prompt, normMean, normStd, training,
        versions, dataClasses, transfer, trainPerClass, resize, null);
  }

  /** No resize: the backbone takes the input as stored. */
  public RunConfig(String data, String datasetName, String datasetKind, String input, List<String> classNames,
      String backbone, Integer patchSize, PromptSettings prompt, float[] normMean, float[] normStd,
      TrainingSettings training, Map<String, String> versions, List<Integer> dataClasses, TransferSettings transfer,
      Integer trainPerClass) {
    this(data, datasetName, datasetKind, input, classNames, backbone, patchSize, prompt, normMean, normStd, training,
        versions, dataClasses, transfer, trainPerClass, null);
  }

  /** No class selection and no transfer: a model trained from scratch on the whole dataset. */
  public RunConfig(String data, String datasetName, String datasetKind, String input, List<String> classNames,
      String backbone, Integer patchSize, PromptSettings prompt, float[] normMean, float[] normStd,
      TrainingSettings training, Map<String, String> versions) {
    this(data, datasetName, datasetKind, input, classNames, backbone, patchSize, prompt, normMean, normStd, training,
        versions, null, null, null, null);
  }

  /** How the towers hold the training split; replicated for runs recorded before the mode existed. */
  public WorkerData workerDataOrReplicated() {
    return workerData != null ? workerData : WorkerData.REPLICATED_DATA;
  }

  /** The transfer settings, or training from scratch with nothing frozen. */
  public TransferSettings transferOrScratch() {
    return transfer != null ? transfer : new TransferSettings(null, null, null, "none", "new");
  }

  public InputSpec inputSpec() {
    return InputSpec.parse(input);
  }

  public ModelSpec modelSpec() {
    return new ModelSpec(inputSpec(), classNames.size(), backbone, patchSize, prompt.create(normStd), normMean, normStd,
        resize, transfer == null ? null : transfer.labelMapping());
  }
}

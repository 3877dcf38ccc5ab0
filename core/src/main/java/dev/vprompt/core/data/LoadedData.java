package dev.vprompt.core.data;

/**
 * A dataset as a run refers to it: the spec it was loaded from ({@code embedded} for the default in
 * testdata/), the reader's kind (which picks the paper's augmentation) and the splits.
 */
public record LoadedData(String spec, String kind, DatasetSplits splits) {

  public static final String EMBEDDED = "embedded";
  /** The data spec of a run made by {@code vprompt import}: pretrained weights, no dataset. */
  public static final String IMPORTED = "imported";

  /**
   * Loads the spec, keeps only the given classes (renumbered 0..k-1; all when null) and at most
   * {@code trainPerClass} training images of each (all when null).
   */
  public static LoadedData load(String spec, java.util.List<Integer> classes, Integer trainPerClass) {
    LoadedData all = load(spec);
    DatasetSplits splits = all.splits();
    if (classes != null) {
      splits = ClassSelection.select(splits, classes.stream().mapToInt(Integer::intValue).toArray());
    }
    if (trainPerClass != null) {
      splits = ClassSelection.limitTraining(splits, trainPerClass);
    }
    return new LoadedData(all.spec(), all.kind(), splits);
  }

  /** The data a run trained on: its spec, class selection and per-class limit from config.json. */
  public static LoadedData forRun(dev.vprompt.core.run.RunConfig config) {
    return load(config.data(), config.dataClasses(), config.trainPerClass());
  }

  /** Loads {@code KIND:DIR}, or the embedded Fashion-MNIST subset when the spec is null or "embedded". */
  public static LoadedData load(String spec) {
    if (spec == null || spec.equals(EMBEDDED)) {
      return new LoadedData(EMBEDDED, DataSpec.Kind.FASHION_MNIST.id(), DatasetLoader.embeddedDefault());
    }
    if (spec.equals(IMPORTED)) {
      throw new IllegalArgumentException("this run was imported from pretrained weights and has no dataset of its own: "
          + "give one with --data");
    }
    DataSpec parsed = DataSpec.parse(spec);
    return new LoadedData(spec, parsed.kind().id(), DatasetLoader.load(parsed));
  }
}

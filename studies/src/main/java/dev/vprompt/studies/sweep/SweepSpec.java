package dev.vprompt.studies.sweep;

import dev.vprompt.core.data.DataSpec;
import dev.vprompt.core.data.LoadedData;
import java.util.List;

/**
 * A validated sweep file: the grid's axes (datasets x backbones x other varied options x prompts x
 * seeds) and the options every run shares. {@link SweepGrid} expands it into runs.
 *
 * @param epochs the top-level epochs, or null (a dataset's own, else the train command's default)
 * @param shared train options with one value, given to every run
 * @param axes train options with several values: one more dimension of the grid each
 */
public record SweepSpec(
    String description,
    List<DatasetEntry> datasets,
    List<Setting> backbones,
    List<PromptEntry> prompts,
    List<Setting> seeds,
    Setting epochs,
    List<Setting> shared,
    List<Axis> axes) {

  public SweepSpec {
    datasets = List.copyOf(datasets);
    backbones = List.copyOf(backbones);
    prompts = List.copyOf(prompts);
    seeds = List.copyOf(seeds);
    shared = List.copyOf(shared);
    axes = List.copyOf(axes);
  }

  /**
   * One dataset of the grid.
   *
   * @param label its part of run names ({@code fashion-mnist}, or the entry's {@code name})
   * @param options its own train options (e.g. {@code epochs: 150} for CIFAR-10)
   */
  public record DatasetEntry(String label, Setting data, List<Setting> options) {
    public DatasetEntry {
      options = List.copyOf(options);
    }

    public boolean embedded() {
      return data.value().equals(LoadedData.EMBEDDED);
    }
  }

  /**
   * One prompt configuration of the grid.
   *
   * @param slug its part of run names: the {@code label}, else the name and option values ({@code msvp-gated})
   * @param options its own train options ({@code msvp_fusion: gated})
   */
  public record PromptEntry(String slug, Setting name, List<Setting> options) {
    public PromptEntry {
      options = List.copyOf(options);
    }
  }

  /** A train option swept over several values. */
  public record Axis(String option, List<Setting> values) {
    public Axis {
      values = List.copyOf(values);
    }
  }

  /** Checks that every dataset directory exists, naming the line that gives it. */
  public void requireDataPresent() {
    for (DatasetEntry dataset : datasets) {
      if (dataset.embedded()) {
        continue;
      }
      try {
        DataSpec.parse(dataset.data().value());
      } catch (IllegalArgumentException e) {
        throw new SweepFileException(dataset.data().origin(), dataset.data().key(), e.getMessage());
      }
    }
  }
}

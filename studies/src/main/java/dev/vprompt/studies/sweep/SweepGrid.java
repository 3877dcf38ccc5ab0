package dev.vprompt.studies.sweep;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Expands a sweep into its runs, in a fixed order: seeds outermost (a sweep stopped half-way has whole
 * tables for its first seeds), then datasets, backbones, varied options and prompts. The same file
 * always gives the same runs, names and indices, which is what resuming and sharding rely on.
 */
public final class SweepGrid {

  private static final Pattern UNSAFE_IN_NAMES = Pattern.compile("[^A-Za-z0-9._+-]+");

  private SweepGrid() {}

  public static List<SweepRun> expand(SweepSpec spec) {
    List<SweepRun> runs = new ArrayList<>();
    Map<String, SweepRun> byName = new HashMap<>();
    List<List<Setting>> axisValues = cartesian(spec.axes());
    for (Setting seed : spec.seeds()) {
      for (SweepSpec.DatasetEntry dataset : spec.datasets()) {
        for (Setting backbone : spec.backbones()) {
          for (List<Setting> varied : axisValues) {
            for (SweepSpec.PromptEntry prompt : spec.prompts()) {
              SweepRun run = run(runs.size(), spec, seed, dataset, backbone, varied, prompt);
              SweepRun clash = byName.put(run.name(), run);
              if (clash != null) {
                throw new SweepFileException(prompt.name().origin(), prompt.name().key(), "two runs would both be named '"
                    + run.name() + "' (the same dataset, backbone, prompt and seed twice?); give one a 'label' "
                    + "(prompts) or a 'name' (datasets)");
              }
              runs.add(run);
            }
          }
        }
      }
    }
    return runs;
  }

  private static SweepRun run(int index, SweepSpec spec, Setting seed, SweepSpec.DatasetEntry dataset,
      Setting backbone, List<Setting> varied, SweepSpec.PromptEntry prompt) {
    // later puts win: the more specific a setting, the later it comes
    Map<String, Setting> settings = new LinkedHashMap<>();
    put(settings, dataset.data());
    put(settings, backbone);
    put(settings, prompt.name());
    put(settings, seed);
    if (spec.epochs() != null) {
      put(settings, spec.epochs());
    }
    spec.shared().forEach(s -> put(settings, s));
    varied.forEach(s -> put(settings, s));
    dataset.options().forEach(s -> put(settings, s));
    prompt.options().forEach(s -> put(settings, s));
    StringBuilder name = new StringBuilder()
        .append(dataset.label()).append('-').append(backbone.value()).append('-').append(prompt.slug());
    for (Setting s : varied) {
      name.append('-').append(s.option()).append(UNSAFE_IN_NAMES.matcher(s.value()).replaceAll("_"));
    }
    name.append("-s").append(seed.value());
    return new SweepRun(index, name.toString(), new ArrayList<>(settings.values()));
  }

  private static void put(Map<String, Setting> settings, Setting setting) {
    settings.remove(setting.option());
    settings.put(setting.option(), setting);
  }

  private static List<List<Setting>> cartesian(List<SweepSpec.Axis> axes) {
    List<List<Setting>> combos = new ArrayList<>();
    combos.add(List.of());
    for (SweepSpec.Axis axis : axes) {
      List<List<Setting>> next = new ArrayList<>();
      for (List<Setting> combo : combos) {
        for (Setting value : axis.values()) {
          List<Setting> extended = new ArrayList<>(combo);
          extended.add(value);
          next.add(extended);
        }
      }
      combos = next;
    }
    return combos;
  }
}

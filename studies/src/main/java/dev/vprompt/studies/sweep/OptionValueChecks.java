package dev.vprompt.studies.sweep;

import dev.vprompt.graph.backbones.Backbones;
import dev.vprompt.graph.prompts.msvp.Msvp;
import dev.vprompt.graph.prompts.Prompts;
import dev.vprompt.core.data.ClassSelection;
import dev.vprompt.core.data.DataSpec;
import dev.vprompt.core.data.LoadedData;
import dev.vprompt.train.optim.DecayPolicy;
import dev.vprompt.train.optim.LearningRateSchedule;
import dev.vprompt.train.optim.OptimizerKind;
import dev.vprompt.train.pipeline.Augmentation;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Checks of named values (backbones, prompts, optimizers, ...) that the train command would only reject
 * when the run starts, hours into a sweep: here they are checked when the sweep file is read, each with
 * the parser the train command itself uses. Numbers are checked by the command line's own parser.
 */
final class OptionValueChecks {

  private static final Map<String, Consumer<String>> CHECKS = Map.ofEntries(
      Map.entry("backbone", OptionValueChecks::backbone),
      Map.entry("prompt", OptionValueChecks::prompt),
      Map.entry("data", OptionValueChecks::dataKind),
      Map.entry("msvp-scales", Msvp.Scales::parse),
      Map.entry("msvp-fusion", Msvp.Fusion::parse),
      Map.entry("optimizer", OptimizerKind::parse),
      Map.entry("decay", DecayPolicy::parse),
      Map.entry("protocol", dev.vprompt.core.run.Protocol::parse),
      Map.entry("schedule", name -> LearningRateSchedule.parse(name, 1e-3, 1, 1, 0)),
      Map.entry("augment", mode -> Augmentation.choose(mode, "fashion-mnist", 1)),
      Map.entry("data-classes", ClassSelection::parse),
      Map.entry("label-map", dev.vprompt.graph.LabelMap.Kind::parse),
      Map.entry("interpolation", dev.vprompt.graph.InputResize.Interpolation::parse));

  private OptionValueChecks() {}

  /** Throws {@link SweepFileException} naming {@code key} when the value is not one the option takes. */
  static void check(String option, String value, Origin origin, String key) {
    Consumer<String> check = CHECKS.get(option);
    if (check == null) {
      return;
    }
    try {
      check.accept(value);
    } catch (IllegalArgumentException e) {
      throw new SweepFileException(origin, key, e.getMessage());
    }
  }

  private static void backbone(String name) {
    Backbones.requireKnown(name);
  }

  private static void prompt(String name) {
    if (!Prompts.NAMES.contains(name)) {
      throw new IllegalArgumentException("unknown prompt '" + name + "'; known: " + String.join(", ", Prompts.NAMES));
    }
  }

  /** The kind of {@code KIND:DIR} (or {@code embedded}); whether DIR exists is checked before running. */
  private static void dataKind(String spec) {
    if (spec.equals(LoadedData.EMBEDDED)) {
      return;
    }
    int colon = spec.indexOf(':');
    if (colon < 1 || colon == spec.length() - 1) {
      throw new IllegalArgumentException("'" + spec + "' is not KIND:DIR or embedded; kinds: " + DataSpec.Kind.validIds());
    }
    DataSpec.Kind.fromId(spec.substring(0, colon));
  }
}

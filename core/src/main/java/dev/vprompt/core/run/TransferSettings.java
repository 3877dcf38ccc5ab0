package dev.vprompt.core.run;

import dev.vprompt.graph.InvalidOptionException;
import dev.vprompt.graph.LabelMap;
import java.util.Locale;

/**
 * Where a run's initial weights come from and what stays fixed, as saved in config.json.
 *
 * @param initFrom a vprompt run directory, or a TensorFlow checkpoint prefix ({@code .index} +
 *     {@code .data-*}) read through {@code nameMap}
 * @param checkpoint best or last, for a run directory
 * @param nameMap for a TensorFlow checkpoint: a file of {@code checkpoint_name variable_name} lines
 * @param freeze {@code backbone} (prompts and head train; batch-norm statistics fixed) or {@code none}
 * @param head {@code new} (a fresh head for the target classes) or {@code keep} (restored)
 * @param normalization where the run's normalisation statistics came from: {@code source} (the source
 *     run's config.json), {@code imagenet} (an imported checkpoint's declared ImageNet statistics) or
 *     {@code target} (this run's training split); null in runs recorded before it was kept
 * @param labelMap with {@code head keep}: how the kept source head's classes map to the target's, {@code freq},
 *     {@code ilm} or {@code fc} ({@link LabelMap}); null for a head of the target's classes
 * @param sourceClasses the kept source head's classes under a label map (recorded once the source is read), else
 *     null
 */
public record TransferSettings(String initFrom, String checkpoint, String nameMap, String freeze, String head,
    String normalization, String labelMap, Integer sourceClasses) {

  public TransferSettings(String initFrom, String checkpoint, String nameMap, String freeze, String head) {
    this(initFrom, checkpoint, nameMap, freeze, head, null);
  }

  public TransferSettings(String initFrom, String checkpoint, String nameMap, String freeze, String head,
      String normalization) {
    this(initFrom, checkpoint, nameMap, freeze, head, normalization, null, null);
  }

  public TransferSettings {
    freeze = freeze == null ? "none" : freeze.toLowerCase(Locale.ROOT);
    head = head == null ? "new" : head.toLowerCase(Locale.ROOT);
    checkpoint = checkpoint == null ? "best" : checkpoint;
    if (!freeze.equals("backbone") && !freeze.equals("none")) {
      throw new InvalidOptionException("freeze", "--freeze must be backbone or none, got '" + freeze + "'");
    }
    if (!head.equals("new") && !head.equals("keep")) {
      throw new InvalidOptionException("head", "--head must be new or keep, got '" + head + "'");
    }
    if (initFrom == null && freeze.equals("backbone")) {
      throw new InvalidOptionException("freeze", "--freeze backbone needs --init-from: a frozen random backbone learns nothing");
    }
    if (initFrom == null && head.equals("keep")) {
      throw new InvalidOptionException("head", "--head keep needs --init-from");
    }
    if (labelMap != null) {
      labelMap = LabelMap.Kind.parse(labelMap).label();
      if (!head.equals("keep")) {
        throw new InvalidOptionException("label-map", "--label-map " + labelMap + " maps a kept source head's classes: "
            + "it needs --head keep (and --init-from)");
      }
    }
  }

  /** The same settings, with the normalisation that was used. */
  public TransferSettings withNormalization(String used) {
    return new TransferSettings(initFrom, checkpoint, nameMap, freeze, head, used, labelMap, sourceClasses);
  }

  /** The same settings, with the source head's class count a label map reads. */
  public TransferSettings withSourceClasses(int classes) {
    return new TransferSettings(initFrom, checkpoint, nameMap, freeze, head, normalization, labelMap, classes);
  }

  /** The label map of a run, or null: needs the source's class count ({@link #withSourceClasses}). */
  public LabelMap labelMapping() {
    if (labelMap == null) {
      return null;
    }
    if (sourceClasses == null) {
      throw new IllegalStateException("the label map's source class count is not known yet");
    }
    return new LabelMap(LabelMap.Kind.parse(labelMap), sourceClasses);
  }

  public boolean frozenBackbone() {
    return freeze.equals("backbone");
  }

  /** The freeze rule for the parameter store. */
  public java.util.function.Predicate<String> frozen() {
    if (!frozenBackbone()) {
      return name -> false;
    }
    // a kept head read through a label map is part of the frozen source model, as in the label-mapping papers
    return labelMap == null ? name -> name.startsWith("backbone.")
        : name -> name.startsWith("backbone.") || name.startsWith("head.");
  }
}

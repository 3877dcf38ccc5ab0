package dev.vprompt.core.run;

import dev.vprompt.graph.InvalidOptionException;
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
 */
public record TransferSettings(String initFrom, String checkpoint, String nameMap, String freeze, String head,
    String normalization) {

  public TransferSettings(String initFrom, String checkpoint, String nameMap, String freeze, String head) {
    this(initFrom, checkpoint, nameMap, freeze, head, null);
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
  }

  /** The same settings, with the normalisation that was used. */
  public TransferSettings withNormalization(String used) {
    return new TransferSettings(initFrom, checkpoint, nameMap, freeze, head, used);
  }

  public boolean frozenBackbone() {
    return freeze.equals("backbone");
  }

  /** The freeze rule for the parameter store. */
  public java.util.function.Predicate<String> frozen() {
    return frozenBackbone() ? name -> name.startsWith("backbone.") : name -> false;
  }
}

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
 */
public record TransferSettings(String initFrom, String checkpoint, String nameMap, String freeze, String head) {

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

  public boolean frozenBackbone() {
    return freeze.equals("backbone");
  }

  /** The freeze rule for the parameter store. */
  public java.util.function.Predicate<String> frozen() {
    return frozenBackbone() ? name -> name.startsWith("backbone.") : name -> false;
  }
}

package dev.vprompt.studies.sweep;

import java.util.Locale;
import java.util.Set;

/**
 * The options of {@code vprompt train} a sweep may set, by long name without dashes ({@code batch-size}).
 * The command line supplies them from the train command itself, so a sweep file accepts exactly what
 * {@code vprompt train} accepts.
 *
 * @param names every option
 * @param flags the options that take no value (written only when true)
 */
public record TrainOptions(Set<String> names, Set<String> flags) {

  /** Set by the sweep itself (grid axes, run directory): not allowed as plain options. */
  public static final Set<String> RESERVED = Set.of("data", "backbone", "prompt", "seed", "epochs", "out", "resume",
      "help", "version");

  public TrainOptions {
    names = Set.copyOf(names);
    flags = Set.copyOf(flags);
  }

  /** {@code batch_size}, {@code batch-size} and {@code --batch-size} all name {@code batch-size}. */
  public static String canonical(String key) {
    String name = key.strip().toLowerCase(Locale.ROOT).replace('_', '-');
    while (name.startsWith("-")) {
      name = name.substring(1);
    }
    return name;
  }

  public boolean knows(String key) {
    return names.contains(canonical(key));
  }

  public boolean isFlag(String key) {
    return flags.contains(canonical(key));
  }
}

package dev.vprompt.graph.prompts;

import java.util.List;

/**
 * A prompt family's descriptor: everything the rest of vprompt knows about its prompts. It owns their
 * registry names, their settings (a record, saved in config.json under {@link #settingsKey}), the
 * command-line options that fill them in, their validation, and the short label of tables. Register it
 * in {@link Prompts#FAMILIES}; nothing else names a family.
 *
 * @param <S> the settings record, or {@link Void} for a family without options
 */
public interface PromptFamily<S> {

  /** The registry names of its prompts, e.g. {@code lotep-cp, lotep-tk}. */
  List<String> names();

  /** The key of its settings in config.json's {@code prompt} object, or null when it has none. */
  String settingsKey();

  /** The settings record's class (Jackson reads and writes it), or {@code Void.class}. */
  Class<S> settingsType();

  /** The settings of the family's defaults (each a named constant citing its source), or null. */
  S defaults();

  /** Its command-line options, also the keys sweep files may set; empty for none. */
  List<PromptOption> options();

  /** The settings the options say; fails on a value no prompt of the family takes. */
  S settings(PromptOption.Values values);

  /**
   * The named prompt with these settings; fails on settings that cannot work.
   *
   * @param normStd the run's per-channel normalisation std (lor-vp adds its prompt before normalising),
   *     or null where there is none (parameter counts)
   */
  Prompt create(String name, S settings, float[] normStd);

  /** A short label for tables, e.g. {@code msvp[full,add]}. */
  String label(String name, S settings);
}

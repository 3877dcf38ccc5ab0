package dev.vprompt.graph.prompts;

import dev.vprompt.graph.InvalidOptionException;

/**
 * A prompt and its options as saved in config.json: the name, and the settings record of the prompt's
 * family (null for a family without options), written under the family's {@link PromptFamily#settingsKey}.
 */
public record PromptSettings(String name, Object settings) {

  public PromptSettings {
    PromptFamily<?> family = Prompts.family(name);
    if (settings != null && !family.settingsType().isInstance(settings)) {
      throw new IllegalArgumentException("the " + name + " prompt takes " + family.settingsType().getSimpleName()
          + ", not " + settings.getClass().getSimpleName());
    }
  }

  /** The named prompt with its family's defaults. */
  public static PromptSettings of(String name) {
    return new PromptSettings(name, Prompts.family(name).defaults());
  }

  /** The named prompt with the settings its family reads from these option values; fails on bad values. */
  public static PromptSettings fromOptions(String name, PromptOption.Values values) {
    if (!Prompts.NAMES.contains(name)) {
      throw new InvalidOptionException("prompt", "unknown prompt '" + name + "'; known: " + String.join(", ", Prompts.NAMES));
    }
    PromptSettings settings = new PromptSettings(name, Prompts.family(name).settings(values));
    settings.create();
    return settings;
  }

  public PromptFamily<?> family() {
    return Prompts.family(name);
  }

  /** The settings when they are of this type (a family's record), else null. */
  public <S> S settings(Class<S> type) {
    return type.isInstance(settings) ? type.cast(settings) : null;
  }

  public Prompt create() {
    return create(null);
  }

  /** @param normStd the run's normalisation std (lor-vp adds its prompt before normalising), or null */
  public Prompt create(float[] normStd) {
    return create(family(), normStd);
  }

  /** A short label for tables: {@code msvp[full,add]} or {@code none}. */
  public String label() {
    return label(family());
  }

  private <S> Prompt create(PromptFamily<S> family, float[] normStd) {
    if (settings == null && family.defaults() != null) {
      throw new IllegalArgumentException("the " + family.settingsKey() + " prompt needs its settings");
    }
    return family.create(name, family.settingsType().cast(settings), normStd);
  }

  private <S> String label(PromptFamily<S> family) {
    return settings == null ? name : family.label(name, family.settingsType().cast(settings));
  }
}

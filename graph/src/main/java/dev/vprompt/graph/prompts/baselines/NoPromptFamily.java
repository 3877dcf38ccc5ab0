package dev.vprompt.graph.prompts.baselines;

import dev.vprompt.graph.prompts.Prompt;
import dev.vprompt.graph.prompts.PromptFamily;
import dev.vprompt.graph.prompts.PromptOption;
import java.util.List;

/** The unprompted baseline, {@code none}: no options, no settings. */
public final class NoPromptFamily implements PromptFamily<Void> {

  public static final NoPromptFamily INSTANCE = new NoPromptFamily();

  private NoPromptFamily() {}

  @Override
  public List<String> names() {
    return List.of(NoPrompt.NAME);
  }

  @Override
  public String settingsKey() {
    return null;
  }

  @Override
  public Class<Void> settingsType() {
    return Void.class;
  }

  @Override
  public Void defaults() {
    return null;
  }

  @Override
  public List<PromptOption> options() {
    return List.of();
  }

  @Override
  public Void settings(PromptOption.Values values) {
    return null;
  }

  @Override
  public Prompt create(String name, Void settings, float[] normStd) {
    return new NoPrompt();
  }

  @Override
  public String label(String name, Void settings) {
    return name;
  }
}

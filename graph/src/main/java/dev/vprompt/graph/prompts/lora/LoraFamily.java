package dev.vprompt.graph.prompts.lora;

import dev.vprompt.graph.prompts.Prompt;
import dev.vprompt.graph.prompts.PromptFamily;
import dev.vprompt.graph.prompts.PromptOption;
import java.util.List;

/** LoRA (one prompt, {@code lora}): its options and settings; see {@link Lora}. */
public final class LoraFamily implements PromptFamily<LoraSettings> {

  public static final LoraFamily INSTANCE = new LoraFamily();

  private static final List<PromptOption> OPTIONS = List.of(
      new PromptOption("lora-rank", "R", Integer.class, "" + Lora.DEFAULT_RANK,
          "lora: rank r of each adapted projection's update B A (default: ${DEFAULT-VALUE}, the LoTeP paper's "
              + "LoRA baseline)."),
      new PromptOption("lora-alpha", "ALPHA", Double.class, "" + Lora.DEFAULT_ALPHA,
          "lora: the update is scaled by ALPHA / r (default: ${DEFAULT-VALUE}, HF PEFT's lora_alpha; the LoTeP "
              + "paper gives none)."),
      new PromptOption("lora-targets", "LIST", List.class, String.join(",", Lora.DEFAULT_TARGETS),
          "lora: which of each attention's q, k, v projections to adapt (default: ${DEFAULT-VALUE}, as the "
              + "LoRA paper and the LoTeP paper's parameter counts)."));

  private LoraFamily() {}

  @Override
  public List<String> names() {
    return List.of(Lora.NAME);
  }

  @Override
  public String settingsKey() {
    return "lora";
  }

  @Override
  public Class<LoraSettings> settingsType() {
    return LoraSettings.class;
  }

  @Override
  public LoraSettings defaults() {
    return LoraSettings.defaults();
  }

  @Override
  public List<PromptOption> options() {
    return OPTIONS;
  }

  @Override
  public LoraSettings settings(PromptOption.Values v) {
    return new LoraSettings(v.integer("lora-rank"), v.decimal("lora-alpha"), v.list("lora-targets"));
  }

  @Override
  public Prompt create(String name, LoraSettings settings, float[] normStd) {
    return settings.create();
  }

  @Override
  public String label(String name, LoraSettings s) {
    return name + "[r=" + s.rank() + ",alpha=" + s.alpha() + "," + String.join("", s.targets()) + "]";
  }
}

package dev.vprompt.graph.prompts.lora;

import java.util.List;

/** LoRA's options as saved in config.json; see {@link Lora} for their meaning and defaults. */
public record LoraSettings(int rank, double alpha, List<String> targets) {

  public static LoraSettings defaults() {
    return new LoraSettings(Lora.DEFAULT_RANK, Lora.DEFAULT_ALPHA, Lora.DEFAULT_TARGETS);
  }

  public Lora create() {
    return new Lora(rank, alpha, targets);
  }
}

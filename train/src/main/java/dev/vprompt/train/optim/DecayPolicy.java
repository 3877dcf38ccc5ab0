package dev.vprompt.train.optim;

import dev.vprompt.ops.Parameter;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which trainable weights weight decay applies to. */
public enum DecayPolicy {
  /**
   * Every trainable weight, biases, normalisation parameters and prompts included: what {@code
   * torch.optim.Adam(model.parameters(), weight_decay=wd)} does, and so the MSVP paper's default.
   */
  ALL("all"),
  /** Only weights created with {@code decayed == true} (kernels; not biases, norms, embeddings, prompts). */
  SELECTIVE("selective"),
  /**
   * Every trainable weight except the prompt's (names under {@code prompt.}, prompters included): the
   * transfer default. A factorised prompt (LoTeP, LoR-VP) starts with one factor at zero, so the data
   * gradient of its other factors is exactly 0 at first; under Adam, coupled L2 alone then moves each of
   * them about lr towards 0 per step, and the prompt collapses within tens of steps.
   */
  EXCEPT_PROMPT("except-prompt");

  /** The prefix of every prompt variable. */
  static final String PROMPT_PREFIX = "prompt.";

  private final String cliName;

  DecayPolicy(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }

  /** Whether weight decay applies to this parameter under this policy. */
  public boolean decays(Parameter parameter) {
    return switch (this) {
      case ALL -> true;
      case SELECTIVE -> parameter.decayed();
      case EXCEPT_PROMPT -> !parameter.name().startsWith(PROMPT_PREFIX);
    };
  }

  /** The policy named {@code all}, {@code selective} or {@code except-prompt} (case and surrounding blanks ignored). */
  public static DecayPolicy parse(String name) {
    String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (DecayPolicy policy : values()) {
      if (policy.cliName.equals(wanted)) {
        return policy;
      }
    }
    throw new IllegalArgumentException(
        "unknown weight-decay policy '" + name + "'; choose one of: "
            + Arrays.stream(values()).map(DecayPolicy::cliName).collect(Collectors.joining(", ")));
  }
}

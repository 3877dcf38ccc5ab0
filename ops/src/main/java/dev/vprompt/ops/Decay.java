package dev.vprompt.ops;

/**
 * Whether weight decay applies to a weight under the selective policy: kernels yes; biases, norms and
 * prompts no (the {@code all} policy, PyTorch Adam's, decays every trainable weight).
 */
public enum Decay {
  DECAYED, NOT_DECAYED;

  public boolean decayed() {
    return this == DECAYED;
  }
}

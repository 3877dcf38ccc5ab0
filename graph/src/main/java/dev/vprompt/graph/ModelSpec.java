package dev.vprompt.graph;

import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.graph.backbones.Backbones;
import dev.vprompt.graph.prompts.Prompt;
import java.util.Arrays;

/**
 * Everything that defines a classifier's graph: input, classes, backbone, prompt and the per-channel
 * normalisation statistics (of pixels scaled to [0, 1]).
 *
 * @param input the images as stored and fed (the dataset's size)
 * @param resize the in-graph resize to the backbone's input size, or null to give the backbone the input as is
 * @param labelMap the mapping of a kept source head's classes to the {@code classes} of the target, or null for a
 *     head of {@code classes} outputs
 */
public record ModelSpec(InputSpec input, int classes, String backbone, Integer patchSize, Prompt prompt, float[] mean,
    float[] std, InputResize resize, LabelMap labelMap) {

  /** No label map: the head has the target's classes. */
  public ModelSpec(InputSpec input, int classes, String backbone, Integer patchSize, Prompt prompt, float[] mean,
      float[] std, InputResize resize) {
    this(input, classes, backbone, patchSize, prompt, mean, std, resize, null);
  }

  /** No resize: the backbone takes the input as stored. */
  public ModelSpec(
      InputSpec input, int classes, String backbone, Integer patchSize, Prompt prompt, float[] mean, float[] std) {
    this(input, classes, backbone, patchSize, prompt, mean, std, null);
  }

  public ModelSpec {
    if (classes < 2) {
      throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
    }
    if (mean.length != input.channels() || std.length != input.channels()) {
      throw new IllegalArgumentException(
          "normalisation needs " + input.channels() + " means and stds, got " + mean.length + " and " + std.length);
    }
    for (float s : std) {
      if (!(s > 0f)) {
        throw new IllegalArgumentException("normalisation std must be positive, got " + Arrays.toString(std));
      }
    }
    if (labelMap != null) {
      labelMap.validate(classes);
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** A spec with identity normalisation (mean 0, std 1), for parameter counts and tests. */
  public static ModelSpec of(InputSpec input, int classes, String backbone, Integer patchSize, Prompt prompt) {
    float[] zeros = new float[input.channels()];
    float[] ones = new float[input.channels()];
    Arrays.fill(ones, 1f);
    return new ModelSpec(input, classes, backbone, patchSize, prompt, zeros, ones);
  }

  /** The images the prompt and the backbone see: the input resized, or the input. */
  public InputSpec backboneInput() {
    return resize == null ? input : resize.target(input);
  }

  /** The same spec resizing as given (null for none). */
  public ModelSpec withResize(InputResize to) {
    return new ModelSpec(input, classes, backbone, patchSize, prompt, mean, std, to, labelMap);
  }

  /** The same spec with another prompt (export's folded one). */
  public ModelSpec withPrompt(Prompt other) {
    return new ModelSpec(input, classes, backbone, patchSize, other, mean, std, resize, labelMap);
  }

  /** The outputs of the head: the source's classes under a label map, else the target's. */
  public int headClasses() {
    return labelMap == null ? classes : labelMap.sourceClasses();
  }

  /** Creates the backbone and checks that it and the prompt fit its input: fails before any graph exists. */
  public Backbone createBackbone() {
    Backbone created = Backbones.create(backbone, backboneInput(), patchSize);
    prompt.validate(backboneInput(), created);
    return created;
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }
}

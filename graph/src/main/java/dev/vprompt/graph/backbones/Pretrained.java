package dev.vprompt.graph.backbones;

import dev.vprompt.ops.weights.WeightMapping;

/** A backbone built to timm's semantics, so that timm's (or torchvision's) weights load into it. */
public interface Pretrained extends Backbone {

  /**
   * How the names of timm's {@code state_dict} for this architecture fill this backbone's variables
   * (under {@code backbone.}) and the classification head's ({@code head.}).
   */
  WeightMapping timmWeights();
}

package dev.vprompt.graph.prompts;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A block hook whose whole effect equals adding updates to some of the backbone's weights (LoRA's): an
 * exported model merges them into those weights and keeps no trace of the prompt ({@link MergedPrompt}).
 */
public interface WeightUpdates {

  /**
   * The updates of the last build, by the full name of the weight they add to; each is of that weight's
   * shape and depends on variables only, never on the images.
   */
  Map<String, Operand<TFloat32>> weightUpdates();
}

package dev.vprompt.graph;

import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Init;
import dev.vprompt.ops.layers.Dense;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Output label mapping: the source model's head is kept and its {@code sourceClasses} logits are mapped to the
 * target's classes in the graph, so that eval, predict and the exported model all apply it.
 *
 * <ul>
 *   <li>{@link Kind#FREQ}: frequency label mapping, computed once before training: each target class takes the
 *       source class most often predicted for its training images, one-to-one (the FLM baseline of "Understanding
 *       and Improving Visual Prompting: A Label-Mapping Perspective", arXiv:2211.11635, after Tsai et al. and
 *       Bahng et al., "Exploring Visual Prompts for Adapting Large-Scale Models", arXiv:2203.17274);
 *   <li>{@link Kind#ILM}: iterative label mapping (ILM-VP, arXiv:2211.11635): the same, recomputed with the
 *       current prompt at the start of every epoch;
 *   <li>{@link Kind#FC}: a learned fully connected layer on the source logits (AutoVP's FullyMap, "AutoVP: An
 *       Automated Visual Prompting Framework and Benchmark", arXiv:2310.08381), PyTorch's {@code nn.Linear}
 *       initialisation.
 * </ul>
 *
 * <p>FREQ and ILM hold the assignment as the statistic {@value #ASSIGNMENT} ({@code [target]}, the source class
 * of each target class as a float), saved in the checkpoint with the other variables; the target logits are
 * {@code logits[:, assignment]}, as ILM-VP's {@code label_mapping_base}. Until computed it is the identity on the
 * first target-many source classes.
 */
public record LabelMap(Kind kind, int sourceClasses) {

  /** The variable holding a computed assignment. */
  public static final String ASSIGNMENT = "label_map.source_of";

  /** How target classes are read off the source logits. */
  public enum Kind {
    FREQ, ILM, FC;

    public static Kind parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new InvalidOptionException("label-map", "unknown --label-map '" + text + "'; known: freq, ilm, fc");
      }
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public LabelMap {
    if (kind == null) {
      throw new IllegalArgumentException("a label map needs a kind");
    }
    if (sourceClasses < 2) {
      throw new IllegalArgumentException("a label map needs a source head of at least 2 classes, got " + sourceClasses);
    }
  }

  /** Whether the mapping is an assignment computed from predictions (freq, ilm) rather than learned (fc). */
  public boolean assigned() {
    return kind != Kind.FC;
  }

  /** Fails when this map cannot serve {@code targetClasses}: an assignment is one-to-one. */
  public void validate(int targetClasses) {
    if (assigned() && targetClasses > sourceClasses) {
      throw new InvalidOptionException("label-map", "--label-map " + kind.label() + " maps each of the " + targetClasses
          + " target classes to its own source class, but the source head has only " + sourceClasses
          + "; use --label-map fc or --head new");
    }
  }

  /** {@code [B, sourceClasses] -> [B, targetClasses]}. */
  public Operand<TFloat32> apply(BuildContext ctx, Operand<TFloat32> sourceLogits, int targetClasses) {
    validate(targetClasses);
    if (!assigned()) {
      return Dense.of(targetClasses, Init.torchLinear()).apply(ctx, sourceLogits);
    }
    Ops tf = ctx.tf();
    float[] identity = new float[targetClasses];
    for (int t = 0; t < targetClasses; t++) {
      identity[t] = t;
    }
    Operand<TFloat32> sourceOf =
        ctx.statistic("source_of", Shape.of(targetClasses), (init, shape, seed) -> init.constant(identity)).variable();
    return tf.gather(sourceLogits, tf.dtypes.cast(sourceOf, TInt32.class), tf.constant(1));
  }

  /**
   * The one-to-one assignment from prediction counts, as ILM-VP's reference code
   * ({@code predictive_distribution_based_multi_label_mapping} with one source class per target): repeatedly take
   * the largest remaining count (ties: the lowest source class, then the lowest target class, the first maximum
   * of the row-major matrix, as {@code torch.argmax}), assign that pair, and strike out its source class and its
   * target class. A target class whose images were never predicted as a free source class (all zero counts)
   * takes the lowest free source class.
   *
   * @param counts {@code counts[s][t]}: how many training images of target class t the source model predicted as s
   * @return for each target class, its source class
   */
  public static int[] assign(long[][] counts) {
    int sources = counts.length;
    int targets = sources == 0 ? 0 : counts[0].length;
    if (targets > sources) {
      throw new IllegalArgumentException(
          "one-to-one label mapping needs at least as many source classes (" + sources + ") as target classes ("
              + targets + ")");
    }
    boolean[] sourceTaken = new boolean[sources];
    int[] sourceOf = new int[targets];
    java.util.Arrays.fill(sourceOf, -1);
    for (int round = 0; round < targets; round++) {
      long best = -1;
      int bestSource = -1;
      int bestTarget = -1;
      for (int s = 0; s < sources; s++) {
        if (sourceTaken[s]) {
          continue;
        }
        for (int t = 0; t < targets; t++) {
          if (sourceOf[t] < 0 && counts[s][t] > best) {
            best = counts[s][t];
            bestSource = s;
            bestTarget = t;
          }
        }
      }
      sourceTaken[bestSource] = true;
      sourceOf[bestTarget] = bestSource;
    }
    return sourceOf;
  }
}

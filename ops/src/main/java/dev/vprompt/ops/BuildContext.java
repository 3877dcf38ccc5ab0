package dev.vprompt.ops;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt64;

/**
 * What a layer needs to build itself: ops scoped to its place in the model, a dotted name prefix for its
 * variables, the mode, and the state shared by one build (the store, the updates it collects, the step
 * seed its random ops draw from). Immutable: {@link #child} returns a new context one level down.
 */
public final class BuildContext {

  private final Ops tf;
  private final String prefix;
  private final Shared shared;

  private BuildContext(Ops tf, String prefix, Shared shared) {
    this.tf = tf;
    this.prefix = prefix;
    this.shared = shared;
  }

  /**
   * Starts one build of a model.
   *
   * @param tf ops under which this build's (non-variable) ops are named, e.g. {@code
   *     root.withSubScope("train")}, so that two builds in one graph do not collide
   * @param stepSeed a {@code [2]} int64 seed fed each training step; random ops (dropout,
   *     augmentation) derive their own from it, so a step's randomness depends only on the seed fed
   */
  public static BuildContext root(Ops tf, ParameterStore params, Mode mode, Operand<TInt64> stepSeed) {
    return new BuildContext(tf, "", new Shared(params, mode, stepSeed));
  }

  /** A build without random ops' seed (inference, or training graphs without dropout). */
  public static BuildContext root(Ops tf, ParameterStore params, Mode mode) {
    return root(tf, params, mode, tf.constant(new long[] {params.seed(), 0}));
  }

  /** The context one level down: {@code backbone} then {@code stage1} gives {@code backbone.stage1}. */
  public BuildContext child(String name) {
    String childPrefix = prefix.isEmpty() ? name : prefix + "." + name;
    return new BuildContext(tf.withSubScope(name), childPrefix, shared);
  }

  public Ops tf() {
    return tf;
  }

  public Mode mode() {
    return shared.mode;
  }

  public boolean training() {
    return shared.mode.training();
  }

  public String prefix() {
    return prefix;
  }

  public ParameterStore params() {
    return shared.params;
  }

  /** The variable {@code prefix.name}, created on first use. */
  public Parameter weight(String name, Shape shape, Init init, Decay decay) {
    return shared.params.weight(qualify(name), shape, init, decay);
  }

  public Parameter statistic(String name, Shape shape, Init init) {
    return shared.params.statistic(qualify(name), shape, init);
  }

  public String qualify(String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  /** Registers an op (a moving-average update) that every training step must run. */
  public void addUpdate(Op update) {
    shared.updates.add(update);
  }

  /** The updates collected by this build so far. */
  public List<Op> updates() {
    return Collections.unmodifiableList(shared.updates);
  }

  /** A fresh {@code [2]} seed for one stateless random op: the step seed plus this op's index. */
  public Operand<TInt64> nextSeed() {
    long index = ++shared.randomOps;
    return tf.math.add(shared.stepSeed, tf.constant(new long[] {0, index * 1_000_003L}));
  }

  private static final class Shared {
    final ParameterStore params;
    final Mode mode;
    final Operand<TInt64> stepSeed;
    final List<Op> updates = new ArrayList<>();
    long randomOps;

    Shared(ParameterStore params, Mode mode, Operand<TInt64> stepSeed) {
      this.params = params;
      this.mode = mode;
      this.stepSeed = stepSeed;
    }
  }
}

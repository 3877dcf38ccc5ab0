package dev.vprompt.ops;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import dev.vprompt.ops.naming.IndexedScopes;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.StatelessRandomGetKeyCounterAlg;
import java.util.function.Function;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

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
    return new BuildContext(IndexedScopes.adopt(tf), "", new Shared(params, mode, stepSeed, null, null));
  }

  /**
   * One tower's build of a data-parallel step: its random ops draw the whole global batch's numbers and
   * keep the tower's rows, so that N towers see exactly the dropout masks and augmentations one device
   * would (the draws are small next to the model).
   *
   * @param towerSum sums over all towers, for batch statistics of the global batch (synchronised
   *     batch-norm); {@code null} for per-tower statistics
   */
  public static BuildContext tower(Ops tf, ParameterStore params, Mode mode, Operand<TInt64> stepSeed, BatchSlice slice,
      TowerSum towerSum) {
    return new BuildContext(IndexedScopes.adopt(tf), "", new Shared(params, mode, stepSeed, slice, towerSum));
  }

  /**
   * Where a tower's rows sit in the step's global batch.
   *
   * @param offset int32 scalar: the index of the tower's first row
   * @param globalSize int32 scalar: the global batch size
   */
  public record BatchSlice(Operand<TInt32> offset, Operand<TInt32> globalSize) {}

  /** A build without random ops' seed (inference, or training graphs without dropout). */
  public static BuildContext root(Ops tf, ParameterStore params, Mode mode) {
    return root(tf, params, mode, tf.constant(new long[] {params.seed(), 0}));
  }

  /**
   * The context one level down: {@code backbone} then {@code stage1} gives {@code backbone.stage1}. The
   * ops are indexed ({@link IndexedScopes}): a scope per layer would otherwise cost a walk over the graph.
   */
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

  /**
   * Whether this place in the model is frozen (its weights would be created frozen): a frozen part runs
   * as in eval mode, with no dropout, as PyTorch's reference codes put a frozen backbone in {@code
   * eval()}.
   */
  public boolean frozen() {
    return shared.params.frozen(qualify("_"));
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

  /**
   * Sums over the towers of a data-parallel step when batch statistics are synchronised across them;
   * {@code null} when each build normalises with its own batch (one device, or per-tower statistics).
   */
  public TowerSum towerSum() {
    return shared.towerSum;
  }

  /** Registers an op (a moving-average update) that every training step must run. */
  public void addUpdate(Op update) {
    shared.updates.add(update);
  }

  /** Records what a prompt adds at one layer of this build, for {@link #promptEffects()}. */
  public void addPromptEffect(String layer, Operand<TFloat32> prompt, Operand<TFloat32> activation) {
    shared.effects.add(PromptEffect.of(tf, layer, prompt, activation));
  }

  /** The prompt effects recorded by this build so far, in model order. */
  public List<PromptEffect> promptEffects() {
    return Collections.unmodifiableList(shared.effects);
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

  /** Uniform floats in [0, 1) of the given shape (batch first), from a fresh seed. */
  public Operand<TFloat32> randomUniform(Operand<TInt32> shape) {
    Operand<TInt64> seed = nextSeed();
    return ownRows(shape, global -> tf.random.statelessRandomUniform(global, seed));
  }

  /** Uniform integers in [min, max) of the given shape (batch first), from a fresh seed. */
  public Operand<TInt32> randomUniformInt(Operand<TInt32> shape, int min, int max) {
    Operand<TInt64> seed = nextSeed();
    return ownRows(shape, global -> tf.random.statelessRandomUniformInt(global, seed, tf.constant(min), tf.constant(max)));
  }

  /**
   * Uniform floats in [0, 1) of a fixed shape that is not batch-first: the same numbers on every tower
   * (a per-batch decision, such as whether this batch is mixed).
   */
  public Operand<TFloat32> randomUniformShared(Shape shape) {
    return tf.random.statelessRandomUniform(tf.constant(shape), nextSeed(), TFloat32.class);
  }

  /** Gamma draws of a fixed shape, the same on every tower; {@code alpha} matches its last dimensions. */
  public Operand<TFloat32> randomGammaShared(Shape shape, Operand<TFloat32> alpha) {
    // the V3 kernel takes a key, counter and algorithm: derived from the seed as StatelessRandomGammaV2 did
    StatelessRandomGetKeyCounterAlg kca = tf.random.statelessRandomGetKeyCounterAlg(nextSeed());
    return tf.random.statelessRandomGamma(tf.constant(shape), kca.key(), kca.counter(), kca.alg(), alpha);
  }

  private <T extends TType> Operand<T> ownRows(Operand<TInt32> shape, Function<Operand<TInt32>, Operand<T>> draw) {
    BatchSlice slice = shared.slice;
    if (slice == null) {
      return draw.apply(shape);
    }
    Operand<TInt32> rest = tf.slice(shape, tf.constant(new int[] {1}), tf.constant(new int[] {-1}));
    Operand<TInt32> one = tf.constant(new int[] {1});
    Operand<TInt32> global = tf.concat(List.of(tf.reshape(slice.globalSize(), one), rest), tf.constant(0));
    Operand<TInt32> begin = tf.concat(List.of(tf.reshape(slice.offset(), one), tf.zerosLike(rest)), tf.constant(0));
    return tf.slice(draw.apply(global), begin, shape);
  }

  private static final class Shared {
    final ParameterStore params;
    final Mode mode;
    final Operand<TInt64> stepSeed;
    final BatchSlice slice;
    final TowerSum towerSum;
    final List<Op> updates = new ArrayList<>();
    final List<PromptEffect> effects = new ArrayList<>();
    long randomOps;

    Shared(ParameterStore params, Mode mode, Operand<TInt64> stepSeed, BatchSlice slice, TowerSum towerSum) {
      this.params = params;
      this.mode = mode;
      this.stepSeed = stepSeed;
      this.slice = slice;
      this.towerSum = towerSum;
    }
  }
}

package dev.vprompt.ops;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import dev.vprompt.ops.naming.IndexedScopes;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The one place where model variables are created. A name asked for twice returns the same variable,
 * which is how the training and the inference paths of one graph share their weights.
 */
public final class ParameterStore {

  /** TensorFlow op names, without the '/' that the framework optimizers' slot naming breaks on. */
  private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]*");

  private final Ops tf;
  private final long seed;
  private final Predicate<String> frozen;
  private final Map<String, Parameter> byName = new LinkedHashMap<>();
  private Ops initOps;

  /**
   * @param tf ops at the graph's root scope, so that variable names are exactly the dotted names
   * @param seed seeds every random initialiser (combined with each variable's name)
   * @param frozen names of weights to create frozen (e.g. {@code name -> name.startsWith("backbone.")})
   */
  public ParameterStore(Ops tf, long seed, Predicate<String> frozen) {
    this.tf = IndexedScopes.adopt(tf);
    this.seed = seed;
    this.frozen = frozen;
  }

  public ParameterStore(Ops tf, long seed) {
    this(tf, seed, name -> false);
  }

  /** A learned weight: trainable unless the store's freeze rule names it. */
  public Parameter weight(String name, Shape shape, Init init, Decay decay) {
    Parameter.Role role = frozen.test(name) ? Parameter.Role.FROZEN : Parameter.Role.TRAINABLE;
    return getOrCreate(name, shape, init, role, decay.decayed());
  }

  /** Whether the store's freeze rule names this weight (it would be created frozen). */
  public boolean frozen(String name) {
    return frozen.test(name);
  }

  /** A running statistic, updated by explicit assign ops rather than by the optimizer. */
  public Parameter statistic(String name, Shape shape, Init init) {
    return getOrCreate(name, shape, init, Parameter.Role.STATISTIC, false);
  }

  private Parameter getOrCreate(
      String name, Shape shape, Init init, Parameter.Role role, boolean decayed) {
    Parameter existing = byName.get(name);
    if (existing != null) {
      if (!existing.shape().equals(shape) || existing.role() != role) {
        throw new IllegalStateException(
            "variable '" + name + "' exists as " + existing.role() + " " + existing.shape()
                + " and is asked for again as " + role + " " + shape);
      }
      return existing;
    }
    if (!VALID_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid variable name '" + name + "'");
    }
    Ops initOps = initOps();
    Operand<TFloat32> initial = init.create(initOps, shape, variableSeed(initOps, name));
    Variable<TFloat32> variable = tf.withName(name).variable(initial);
    Parameter parameter = new Parameter(name, variable, shape, role, decayed);
    byName.put(name, parameter);
    return parameter;
  }

  /**
   * One {@code init} scope for every initialiser: a scope per variable would add a level to every
   * initialiser's name (and, before {@link IndexedScopes}, a walk over the graph per variable).
   */
  private Ops initOps() {
    if (initOps == null) {
      initOps = tf.withInitScope().withSubScope("init");
    }
    return initOps;
  }

  private Operand<TInt64> variableSeed(Ops initOps, String name) {
    return initOps.constant(new long[] {seed, fnv1a64(name)});
  }

  private static long fnv1a64(String text) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      hash ^= (b & 0xff);
      hash *= 0x100000001b3L;
    }
    return hash;
  }

  public Parameter get(String name) {
    Parameter parameter = byName.get(name);
    if (parameter == null) {
      throw new IllegalArgumentException("no variable named '" + name + "'");
    }
    return parameter;
  }

  public boolean contains(String name) {
    return byName.containsKey(name);
  }

  /** Every variable, in creation order. */
  public List<Parameter> all() {
    return Collections.unmodifiableList(new ArrayList<>(byName.values()));
  }

  public List<Parameter> trainable() {
    return select(Parameter::trainable);
  }

  public List<Parameter> select(Predicate<Parameter> filter) {
    return byName.values().stream().filter(filter).toList();
  }

  /** Number of scalar weights (statistics excluded) whose name starts with the prefix. */
  public long count(String prefix) {
    return count(p -> p.isWeight() && p.name().startsWith(prefix));
  }

  public long count(Predicate<Parameter> filter) {
    return byName.values().stream().filter(filter).mapToLong(Parameter::size).sum();
  }

  public long seed() {
    return seed;
  }
}

package dev.vprompt.ops.check;

import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt64;

/**
 * Checks TensorFlow's symbolic gradients of a layer against central finite differences, with respect
 * to the layer's input and each of its trainable variables, at a few sampled coordinates. The scalar
 * differentiated is {@code sum(w * f(x))} with fixed random weights {@code w}, accumulated in double
 * precision so that rounding in the sum does not swamp the differences.
 *
 * <p>A coordinate whose forward and backward differences disagree sits on a kink (a ReLU or max-pool
 * switching inside the step) where no finite difference is meaningful; it is skipped, counted, and
 * another coordinate is drawn.
 */
public final class GradientChecker {

  /** One coordinate where the two gradients disagree beyond tolerance. */
  public record Mismatch(String target, int index, double analytic, double numeric) {}

  /** What a check found. */
  public record Report(
      int coordinatesChecked, int kinksSkipped, List<String> targets, List<Mismatch> mismatches) {
    public boolean passed() {
      return mismatches.isEmpty() && coordinatesChecked > 0;
    }
  }

  private final double epsilon;
  private final double absoluteTolerance;
  private final double relativeTolerance;
  private final int samplesPerTarget;

  public GradientChecker(
      double epsilon, double absoluteTolerance, double relativeTolerance, int samplesPerTarget) {
    this.epsilon = epsilon;
    this.absoluteTolerance = absoluteTolerance;
    this.relativeTolerance = relativeTolerance;
    this.samplesPerTarget = samplesPerTarget;
  }

  /** Tolerances that hold for float32 layers of the sizes used in tests. */
  public static GradientChecker standard() {
    return new GradientChecker(1e-2, 2e-3, 2e-2, 6);
  }

  /**
   * Builds {@code layer} on an input of {@code inputShape} (fully known) in a fresh graph, initialises
   * its variables with {@code seed}, and compares gradients.
   */
  public Report check(
      Shape inputShape,
      Mode mode,
      long seed,
      BiFunction<BuildContext, Operand<TFloat32>, Operand<TFloat32>> layer) {
    try (Graph graph = dev.vprompt.ops.GraphIds.pin(new Graph())) {
      Ops tf = Ops.create(graph);
      ParameterStore params = new ParameterStore(tf, seed);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(inputShape));
      Operand<TFloat32> y = layer.apply(BuildContext.root(tf.withSubScope("model"), params, mode), x);
      if (y.shape().hasUnknownDimension()) {
        throw new IllegalArgumentException("layer output shape must be static, got " + y.shape());
      }
      SplittableRandom random = new SplittableRandom(seed);
      Operand<TFloat64> weights = tf.constant(randomDoubles(random, y.shape()));
      Operand<TFloat64> loss = tf.reduceSum(tf.math.mul(tf.dtypes.cast(y, TFloat64.class), weights),
          tf.constant(allAxes(y.shape().numDimensions())));

      Map<String, Operand<TFloat32>> targets = new LinkedHashMap<>();
      targets.put("input", x);
      for (Parameter p : params.trainable()) {
        targets.put(p.name(), p.variable());
      }
      Coordinates coordinates = new Coordinates(tf, params.trainable());
      Output<?>[] gradients =
          graph.addGradients(
              loss.asOutput(), targets.values().stream().map(Operand::asOutput).toArray(Output[]::new));

      try (Session session = new Session(graph)) {
        session.initialize();
        float[] input = randomFloats(random, inputShape);
        Map<String, float[]> values = new LinkedHashMap<>();
        values.put("input", input);
        List<Parameter> trainable = params.trainable();
        if (!trainable.isEmpty()) {
          Session.Runner runner = session.runner();
          trainable.forEach(p -> runner.fetch(p.variable()));
          try (Result result = runner.run()) {
            for (int i = 0; i < trainable.size(); i++) {
              values.put(trainable.get(i).name(), Tensors.toFloats(result.get(i)));
            }
          }
        }
        float[][] analytic = new float[gradients.length][];
        try (TFloat32 feed = Tensors.floats(inputShape, input)) {
          Session.Runner runner = session.runner().feed(x, feed);
          for (Output<?> g : gradients) {
            runner.fetch(g);
          }
          try (Result result = runner.run()) {
            for (int i = 0; i < gradients.length; i++) {
              analytic[i] = Tensors.toFloats(result.get(i));
            }
          }
        }
        // the unperturbed loss, once: each perturbation restores its coordinate exactly
        double centre = lossAt(session, x, inputShape, input, loss);
        coordinates.startFrom(values);

        List<Mismatch> mismatches = new ArrayList<>();
        int checked = 0;
        int kinks = 0;
        List<String> names = new ArrayList<>(targets.keySet());
        for (int t = 0; t < names.size(); t++) {
          String name = names.get(t);
          float[] base = values.get(name);
          String setter = name.equals("input") ? null : name;
          int wanted = Math.min(samplesPerTarget, base.length);
          for (int draws = 0, done = 0; done < wanted && draws < 4 * wanted; draws++) {
            int index = random.nextInt(base.length);
            double plus = perturbedLoss(session, x, inputShape, loss, input, coordinates, setter, base, index, epsilon);
            double minus = perturbedLoss(session, x, inputShape, loss, input, coordinates, setter, base, index, -epsilon);
            if (setter != null) {
              coordinates.set(session, setter, index, base[index]);
            }
            double forward = (plus - centre) / epsilon;
            double backward = (centre - minus) / epsilon;
            if (!close(forward, backward)) {
              kinks++;
              continue;
            }
            double numeric = (forward + backward) / 2;
            double expected = analytic[t][index];
            done++;
            checked++;
            if (!close(expected, numeric)) {
              mismatches.add(new Mismatch(name, index, expected, numeric));
            }
          }
        }
        return new Report(checked, kinks, names, mismatches);
      } finally {
        coordinates.close();
      }
    }
  }

  private boolean close(double actual, double expected) {
    return Math.abs(actual - expected) <= absoluteTolerance + relativeTolerance * Math.abs(expected);
  }

  /**
   * The loss with coordinate {@code index} of one target moved by {@code step} (in float32, as the model
   * holds it); {@code variable} is null for the input. A variable keeps the moved value: the caller sets it back.
   */
  private static double perturbedLoss(Session session, Placeholder<TFloat32> x, Shape inputShape,
      Operand<TFloat64> loss, float[] input, Coordinates coordinates, String variable, float[] base, int index,
      double step) {
    float moved = (float) (base[index] + step);
    if (variable == null) {
      float[] perturbed = input.clone();
      perturbed[index] = moved;
      return lossAt(session, x, inputShape, perturbed, loss);
    }
    coordinates.set(session, variable, index, moved);
    return lossAt(session, x, inputShape, input, loss);
  }

  private static double lossAt(
      Session session, Placeholder<TFloat32> x, Shape inputShape, float[] input, Operand<TFloat64> loss) {
    try (TFloat32 feed = Tensors.floats(inputShape, input);
        Result result = session.runner().feed(x, feed).fetch(loss).run()) {
      return ((TFloat64) result.get(0)).getDouble();
    }
  }

  /**
   * Sets one element of one variable, by its row-major index, with a scatter of one element per variable:
   * assigning a whole variable copies megabytes on a full-size backbone, and one op per variable run on
   * its own costs TensorFlow a new executor (a pass over the whole graph) per variable. Every run feeds
   * all of them, the others rewriting their first element with its own value, so all runs share one.
   */
  private static final class Coordinates implements AutoCloseable {
    private final List<Parameter> variables;
    private final List<Placeholder<TInt64>> at = new ArrayList<>();
    private final List<Placeholder<TFloat32>> value = new ArrayList<>();
    private final List<org.tensorflow.op.Op> updates = new ArrayList<>();
    private final List<Tensor> unchanged = new ArrayList<>();

    Coordinates(Ops tf, List<Parameter> variables) {
      this.variables = List.copyOf(variables);
      for (Parameter p : variables) {
        int rank = p.shape().numDimensions();
        Placeholder<TInt64> where = tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(1, rank)));
        Placeholder<TFloat32> what = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1)));
        at.add(where);
        value.add(what);
        updates.add(rank == 0 ? tf.assign(p.variable(), tf.reshape(what, tf.constant(new long[0])))
            : tf.scatterNdUpdate(p.variable(), where, what));
      }
    }

    /** Records each variable's first element, which the runs that set another variable write back. */
    void startFrom(Map<String, float[]> values) {
      for (Parameter p : variables) {
        unchanged.add(index(p.shape(), 0));
        unchanged.add(TFloat32.vectorOf(values.get(p.name())[0]));
      }
    }

    void set(Session session, String variable, int index, float v) {
      Session.Runner runner = session.runner();
      try (TInt64 where = index(shapeOf(variable), index); TFloat32 what = TFloat32.vectorOf(v)) {
        for (int i = 0; i < variables.size(); i++) {
          boolean target = variables.get(i).name().equals(variable);
          runner.feed(at.get(i), target ? where : unchanged.get(2 * i))
              .feed(value.get(i), target ? what : unchanged.get(2 * i + 1))
              .addTarget(updates.get(i));
        }
        runner.run().close();
      }
    }

    private Shape shapeOf(String variable) {
      return variables.stream().filter(p -> p.name().equals(variable)).findFirst().orElseThrow().shape();
    }

    private static TInt64 index(Shape shape, int flat) {
      long[] coordinates = new long[shape.numDimensions()];
      long rest = flat;
      for (int d = coordinates.length - 1; d >= 0; d--) {
        coordinates[d] = rest % shape.get(d);
        rest /= shape.get(d);
      }
      return TInt64.tensorOf(Shape.of(1, coordinates.length),
          org.tensorflow.ndarray.buffer.DataBuffers.of(coordinates, true, false));
    }

    @Override
    public void close() {
      unchanged.forEach(Tensor::close);
    }
  }

  private static float[] randomFloats(SplittableRandom random, Shape shape) {
    float[] values = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return values;
  }

  private static org.tensorflow.ndarray.DoubleNdArray randomDoubles(SplittableRandom random, Shape shape) {
    double[] values = new double[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextDouble() * 2 - 1;
    }
    return org.tensorflow.ndarray.NdArrays.wrap(shape,
        org.tensorflow.ndarray.buffer.DataBuffers.of(values, true, false));
  }

  private static int[] allAxes(int rank) {
    int[] axes = new int[rank];
    for (int i = 0; i < rank; i++) {
      axes[i] = i;
    }
    return axes;
  }
}

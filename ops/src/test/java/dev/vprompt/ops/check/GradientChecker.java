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
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

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
    try (Graph graph = new Graph()) {
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
      Map<String, Placeholder<TFloat32>> assignValues = new LinkedHashMap<>();
      Map<String, org.tensorflow.op.Op> assigns = new LinkedHashMap<>();
      for (Parameter p : params.trainable()) {
        targets.put(p.name(), p.variable());
        Placeholder<TFloat32> value = tf.placeholder(TFloat32.class, Placeholder.shape(p.shape()));
        assignValues.put(p.name(), value);
        assigns.put(p.name(), tf.assign(p.variable(), value));
      }
      Output<?>[] gradients =
          graph.addGradients(
              loss.asOutput(), targets.values().stream().map(Operand::asOutput).toArray(Output[]::new));

      try (Session session = new Session(graph)) {
        session.initialize();
        float[] input = randomFloats(random, inputShape);
        Map<String, float[]> values = new LinkedHashMap<>();
        values.put("input", input);
        for (Parameter p : params.trainable()) {
          values.put(p.name(), fetchFloats(session, p.variable()));
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

        List<Mismatch> mismatches = new ArrayList<>();
        int checked = 0;
        int kinks = 0;
        List<String> names = new ArrayList<>(targets.keySet());
        for (int t = 0; t < names.size(); t++) {
          String name = names.get(t);
          float[] base = values.get(name);
          int wanted = Math.min(samplesPerTarget, base.length);
          for (int draws = 0, done = 0; done < wanted && draws < 4 * wanted; draws++) {
            int index = random.nextInt(base.length);
            double[] differences = differences(session, x, inputShape, loss, values, name, index,
                assignValues, assigns, params);
            if (!close(differences[0], differences[1])) {
              kinks++;
              continue;
            }
            double numeric = (differences[0] + differences[1]) / 2;
            double expected = analytic[t][index];
            done++;
            checked++;
            if (!close(expected, numeric)) {
              mismatches.add(new Mismatch(name, index, expected, numeric));
            }
          }
        }
        return new Report(checked, kinks, names, mismatches);
      }
    }
  }

  private boolean close(double actual, double expected) {
    return Math.abs(actual - expected) <= absoluteTolerance + relativeTolerance * Math.abs(expected);
  }

  /** The forward and the backward difference quotients at one coordinate. */
  private double[] differences(
      Session session,
      Placeholder<TFloat32> x,
      Shape inputShape,
      Operand<TFloat64> loss,
      Map<String, float[]> values,
      String target,
      int index,
      Map<String, Placeholder<TFloat32>> assignValues,
      Map<String, org.tensorflow.op.Op> assigns,
      ParameterStore params) {
    float[] perturbed = values.get(target).clone();
    float original = perturbed[index];
    perturbed[index] = (float) (original + epsilon);
    double plus = lossWith(session, x, inputShape, loss, values, target, perturbed, assignValues, assigns, params);
    perturbed[index] = (float) (original - epsilon);
    double minus = lossWith(session, x, inputShape, loss, values, target, perturbed, assignValues, assigns, params);
    perturbed[index] = original;
    double centre = lossWith(session, x, inputShape, loss, values, target, perturbed, assignValues, assigns, params);
    return new double[] {(plus - centre) / epsilon, (centre - minus) / epsilon};
  }

  private static double lossWith(
      Session session,
      Placeholder<TFloat32> x,
      Shape inputShape,
      Operand<TFloat64> loss,
      Map<String, float[]> values,
      String target,
      float[] value,
      Map<String, Placeholder<TFloat32>> assignValues,
      Map<String, org.tensorflow.op.Op> assigns,
      ParameterStore params) {
    float[] input = target.equals("input") ? value : values.get("input");
    if (!target.equals("input")) {
      try (TFloat32 t = Tensors.floats(params.get(target).shape(), value)) {
        session.runner().feed(assignValues.get(target), t).addTarget(assigns.get(target)).run().close();
      }
    }
    try (TFloat32 feed = Tensors.floats(inputShape, input);
        Result result = session.runner().feed(x, feed).fetch(loss).run()) {
      return ((TFloat64) result.get(0)).getDouble();
    }
  }

  private static float[] fetchFloats(Session session, Operand<TFloat32> operand) {
    try (Result result = session.runner().fetch(operand).run()) {
      return Tensors.toFloats(result.get(0));
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

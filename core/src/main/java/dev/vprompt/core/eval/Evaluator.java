package dev.vprompt.core.eval;

import dev.vprompt.graph.Classifier;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.PromptEffect;
import dev.vprompt.ops.Tensors;
import dev.vprompt.core.data.ResidentImages;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The inference graph over one resident split: feeds row indices in large batches, fetches each
 * image's prediction and loss, and accumulates accuracy and the confusion matrix in Java, and, per
 * prompted layer, the mean squares of the prompt and of what it is added to ({@link PromptEffect}).
 */
public final class Evaluator {

  private static final RunOptions FULL_TRACE =
      RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();

  private final Placeholder<TInt32> indices;
  private final Operand<TInt32> predictions;
  private final Operand<TInt32> headPredictions;
  private final Operand<TFloat32> losses;
  private final Operand<TFloat32> logits;
  private final int[] labels;
  private final int classes;
  private final List<PromptEffect> effects;

  /**
   * @param name distinguishes this build's ops from the others in the graph ({@code val}, {@code test})
   */
  public Evaluator(Ops root, String name, ParameterStore params, ModelSpec spec, ResidentImages data, int[] labels) {
    Ops tf = root.withSubScope(name);
    this.labels = labels;
    this.classes = spec.classes();
    indices = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    BuildContext ctx = BuildContext.root(tf, params, Mode.INFER);
    Classifier.Built built = Classifier.fromPixels(ctx, spec, data.gatherPixels(tf, indices));
    logits = built.logits();
    headPredictions = tf.math.argMax(built.headLogits(), tf.constant(1), TInt32.class);
    effects = List.copyOf(ctx.promptEffects());
    predictions = tf.math.argMax(logits, tf.constant(1), TInt32.class);
    losses = tf.nn.sparseSoftmaxCrossEntropyWithLogits(logits, data.gatherLabels(tf, indices)).loss();
  }

  public EvalResult evaluate(Session session, int[] rows, int batchSize) {
    long[][] confusion = new long[classes][classes];
    double lossSum = 0;
    long correct = 0;
    double[] promptSquares = new double[effects.size()];
    double[] activationSquares = new double[effects.size()];
    for (int start = 0; start < rows.length; start += batchSize) {
      int[] batch = Arrays.copyOfRange(rows, start, Math.min(rows.length, start + batchSize));
      try (TInt32 feed = Tensors.ints(Shape.of(batch.length), batch)) {
        Session.Runner runner = session.runner().feed(indices, feed).fetch(predictions).fetch(losses);
        for (PromptEffect effect : effects) {
          runner.fetch(effect.promptMeanSquare()).fetch(effect.activationMeanSquare());
        }
        try (Result result = runner.run()) {
          int[] predicted = Tensors.toInts(result.get(0));
          float[] loss = Tensors.toFloats(result.get(1));
          for (int i = 0; i < batch.length; i++) {
            int truth = labels[batch[i]];
            confusion[truth][predicted[i]]++;
            correct += truth == predicted[i] ? 1 : 0;
            lossSum += loss[i];
          }
          for (int e = 0; e < effects.size(); e++) {
            promptSquares[e] += (double) Tensors.scalar(result.get(2 + 2 * e)) * batch.length;
            activationSquares[e] += (double) Tensors.scalar(result.get(3 + 2 * e)) * batch.length;
          }
        }
      }
    }
    int n = rows.length;
    Map<String, Double> ratios = new LinkedHashMap<>();
    for (int e = 0; e < effects.size() && n > 0; e++) {
      ratios.put(effects.get(e).layer(), Math.sqrt(promptSquares[e] / Math.max(activationSquares[e], 1e-30)));
    }
    return new EvalResult(n, n == 0 ? Double.NaN : lossSum / n, n == 0 ? Double.NaN : (double) correct / n, confusion,
        ratios);
  }

  /** The logits of the given rows under TensorFlow's full trace: the kernels' step statistics. */
  public RunMetadata tracedLogits(Session session, int[] rows) {
    try (TInt32 feed = Tensors.ints(Shape.of(rows.length), rows);
        Result result = session.runner().feed(indices, feed).fetch(logits).setOptions(FULL_TRACE)
            .runAndFetchMetadata()) {
      return result.getMetadata().orElseThrow(() -> new IllegalStateException("TensorFlow returned no step statistics"));
    }
  }

  /**
   * The class the head predicts for each of the given rows: under a label map the source class (what label
   * mapping counts), else the target class.
   */
  public int[] headPredictions(Session session, int[] rows, int batchSize) {
    int[] predicted = new int[rows.length];
    for (int start = 0; start < rows.length; start += batchSize) {
      int[] batch = Arrays.copyOfRange(rows, start, Math.min(rows.length, start + batchSize));
      try (TInt32 feed = Tensors.ints(Shape.of(batch.length), batch);
          Result result = session.runner().feed(indices, feed).fetch(headPredictions).run()) {
        System.arraycopy(Tensors.toInts(result.get(0)), 0, predicted, start, batch.length);
      }
    }
    return predicted;
  }

  /** The logits of the given rows, for checks against an exported model. */
  public float[] logits(Session session, int[] rows) {
    try (TInt32 feed = Tensors.ints(Shape.of(rows.length), rows);
        Result result = session.runner().feed(indices, feed).fetch(logits).run()) {
      return Tensors.toFloats(result.get(0));
    }
  }
}

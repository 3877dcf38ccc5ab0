package dev.vprompt.export;

import dev.vprompt.core.checkpoint.CheckpointIo;
import dev.vprompt.graph.Classifier;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.graph.prompts.MergedPrompt;
import dev.vprompt.graph.prompts.WeightUpdates;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Merges a prompt whose effect is a change of backbone weights ({@link WeightUpdates}, LoRA's {@code W + s A
 * B}) into those weights: the serving graph then runs the plain backbone with the merged values and holds
 * neither the prompt's variables nor its ops.
 */
final class WeightMerging {

  /**
   * @param spec the serving spec: the prompt replaced by a {@link MergedPrompt}
   * @param values the merged weights by variable name
   */
  record Merged(ModelSpec spec, Map<String, float[]> values, Map<String, Shape> shapes) {

    /** Overwrites the restored weights of a serving session with the merged ones. */
    void assign(Graph graph, Session session, Map<String, Variable<?>> variables) {
      Ops tf = Ops.create(graph).withSubScope("merge");
      Session.Runner runner = session.runner();
      for (Map.Entry<String, float[]> e : values.entrySet()) {
        Variable<?> variable = variables.get(e.getKey());
        if (variable == null) {
          throw new IllegalStateException("the serving graph has no weight " + e.getKey() + " to merge into");
        }
        try (TFloat32 value = Tensors.floats(shapes.get(e.getKey()), e.getValue())) {
          @SuppressWarnings("unchecked")
          Variable<TFloat32> target = (Variable<TFloat32>) variable;
          runner.addTarget(tf.assign(target, tf.constant(value)));
        }
      }
      runner.run();
    }
  }

  private WeightMerging() {}

  /**
   * The merged weights of the checkpoint's prompt, or null when its prompt is not a weight update.
   *
   * @param checkpointPrefix {@code <checkpoint dir>/model}
   */
  static Merged merge(ModelSpec spec, Path checkpointPrefix) {
    if (spec.prompt() instanceof MergedPrompt) {
      return null;
    }
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      ParameterStore params = new ParameterStore(tf, 0);
      Placeholder<TFloat32> images =
          tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(spec.input())));
      Classifier.Built built = Classifier.fromScaled(BuildContext.root(tf.withSubScope("merge"), params, Mode.INFER),
          spec, images);
      if (!(built.prompt().hook() instanceof WeightUpdates updates) || updates.weightUpdates().isEmpty()) {
        return null;
      }
      Map<String, Variable<?>> variables = new LinkedHashMap<>();
      for (Parameter p : params.all()) {
        variables.put(p.name(), p.variable());
      }
      new CheckpointIo(tf, variables).restore(session, checkpointPrefix);
      Map<String, float[]> values = new LinkedHashMap<>();
      Map<String, Shape> shapes = new LinkedHashMap<>();
      for (Map.Entry<String, Operand<TFloat32>> e : updates.weightUpdates().entrySet()) {
        Parameter weight = params.get(e.getKey());
        try (Result result = session.runner().fetch(tf.math.add(weight.variable(), e.getValue())).run()) {
          float[] merged = Tensors.toFloats(result.get(0));
          for (float v : merged) {
            if (!Float.isFinite(v)) {
              throw new IllegalArgumentException(checkpointPrefix + ": the merged weight " + e.getKey()
                  + " is not finite (" + v + "); the checkpoint holds a diverged " + spec.prompt().name());
            }
          }
          values.put(e.getKey(), merged);
          shapes.put(e.getKey(), weight.shape());
        }
      }
      return new Merged(spec.withPrompt(new MergedPrompt(spec.prompt().name())), values, shapes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the checkpoint " + checkpointPrefix + ": " + e.getMessage(), e);
    }
  }
}

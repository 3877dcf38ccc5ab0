package dev.vprompt.graph;

import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import java.util.function.Predicate;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Parameter counts of a classifier, as the papers report them: running statistics excluded, the
 * prompt overhead relative to the unprompted model (backbone + head).
 */
public record ParameterCounts(long backbone, long prompt, long head, long trainable, long frozen) {

  public long total() {
    return backbone + prompt + head;
  }

  public double promptOverheadPercent() {
    long base = backbone + head;
    return base == 0 ? 0 : 100.0 * prompt / base;
  }

  public static ParameterCounts of(ParameterStore store) {
    return new ParameterCounts(
        store.count("backbone."),
        store.count("prompt."),
        store.count("head.") + store.count("label_map."),
        store.count(Parameter::trainable),
        store.count(p -> p.role() == Parameter.Role.FROZEN));
  }

  /** Builds the inference graph of {@code spec} in a scratch graph and counts its variables. */
  public static ParameterCounts of(ModelSpec spec, Predicate<String> frozen) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore store = new ParameterStore(tf, 0, frozen);
      Placeholder<TFloat32> images =
          tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(spec.input())));
      Classifier.fromScaled(BuildContext.root(tf.withSubScope("infer"), store, Mode.INFER), spec, images);
      return of(store);
    }
  }

  public static ParameterCounts of(ModelSpec spec) {
    return of(spec, name -> false);
  }
}

package dev.vprompt.ops.weights;

import dev.vprompt.ops.ParameterStore;
import java.io.IOException;
import java.util.Map;
import java.util.function.Predicate;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Writes mapped weights into a session's variables, one tensor at a time. */
public final class SessionWeights {
  private SessionWeights() {}

  /**
   * Checks the source against the store's variables selected by {@code names}, then assigns every one.
   *
   * @param tf ops of the session's graph (assign ops are added under {@code import/})
   */
  public static void load(Ops tf, Session session, ParameterStore store, Predicate<String> names,
      WeightMapping mapping, WeightSource source) throws WeightMappingException, IOException {
    Map<String, long[]> variables = VariableShapes.of(store, names);
    Ops scoped = tf.withSubScope("import");
    mapping.convert(source, variables, (target, shape, values) -> {
      Placeholder<TFloat32> feed = scoped.placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
      var assign = scoped.assign(store.get(target).variable(), feed);
      try (TFloat32 tensor = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false))) {
        session.runner().feed(feed, tensor).addTarget(assign).run().close();
      }
    });
  }
}

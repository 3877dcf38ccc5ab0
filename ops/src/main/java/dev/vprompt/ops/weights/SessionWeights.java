package dev.vprompt.ops.weights;

import dev.vprompt.ops.ParameterStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Writes mapped weights into a session's variables, a few tensors per run: at most {@link #BATCH_BYTES} of
 * converted values wait for their run, so a large checkpoint is never held twice beside its variables.
 */
public final class SessionWeights {

  static final long BATCH_BYTES = 64L << 20;

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
    List<Placeholder<TFloat32>> feeds = new ArrayList<>();
    List<TFloat32> tensors = new ArrayList<>();
    List<Op> assigns = new ArrayList<>();
    long[] pending = {0};
    try {
      mapping.convert(source, variables, (target, shape, values) -> {
        Placeholder<TFloat32> feed = scoped.placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
        feeds.add(feed);
        assigns.add(scoped.assign(store.get(target).variable(), feed));
        tensors.add(TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false)));
        pending[0] += 4L * values.length;
        if (pending[0] >= BATCH_BYTES) {
          run(session, feeds, tensors, assigns);
          pending[0] = 0;
        }
      });
      run(session, feeds, tensors, assigns);
    } finally {
      tensors.forEach(TFloat32::close);
    }
  }

  private static void run(Session session, List<Placeholder<TFloat32>> feeds, List<TFloat32> tensors, List<Op> assigns) {
    if (assigns.isEmpty()) {
      return;
    }
    Session.Runner runner = session.runner();
    for (int i = 0; i < feeds.size(); i++) {
      runner.feed(feeds.get(i), tensors.get(i));
    }
    assigns.forEach(runner::addTarget);
    runner.run().close();
    tensors.forEach(TFloat32::close);
    feeds.clear();
    tensors.clear();
    assigns.clear();
  }
}

package dev.vprompt.graph.prompts;

import dev.vprompt.ops.TestSessions;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.graph.backbones.Backbones;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** A deep prompt's hook applied to one block input fed directly, in its own graph and session. Close it. */
final class HookHarness implements AutoCloseable {

  final Graph graph = new Graph();
  final Ops tf = Ops.create(graph);
  final ParameterStore params = new ParameterStore(tf, 5);
  final Placeholder<TFloat32> x;
  final Operand<TFloat32> out;
  final Shape shape;
  final Session session;

  /** {@code blockInput} is the shape of one block input with batch 1, e.g. {@code [1, 8, 16, 3]}. */
  HookHarness(Prompt prompt, String backbone, InputSpec input, int block, Shape blockInput) {
    Backbone b = Backbones.create(backbone, input, null);
    prompt.validate(input, b);
    shape = blockInput;
    x = tf.placeholder(TFloat32.class, Placeholder.shape(blockInput));
    BuildContext root = BuildContext.root(tf.withSubScope("model"), params, Mode.INFER);
    out = prompt.build(root.child("prompt"), x, b).hook().beforeBlock(block, x);
    session = TestSessions.open(graph);
    session.initialize();
  }

  /** Gives the variable random values in [-1, 1] and returns them (row-major). */
  float[] randomise(String variable, long seed) {
    Parameter p = params.get(variable);
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[Math.toIntExact(p.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextDouble() * 2 - 1);
    }
    try (TFloat32 t = Tensors.floats(p.shape(), values)) {
      var value = tf.placeholder(TFloat32.class, Placeholder.shape(p.shape()));
      session.runner().feed(value, t).addTarget(tf.assign(p.variable(), value)).run().close();
    }
    return values;
  }

  float[] run(float[] input) {
    try (TFloat32 feed = Tensors.floats(shape, input);
        Result result = session.runner().feed(x, feed).fetch(tf.identity(out)).run()) {
      return Tensors.toFloats(result.get(0));
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}

package dev.vprompt.graph;

import dev.vprompt.ops.TestSessions;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** A classifier built in its own graph and session, for tests. Close it. */
final class ModelHarness implements AutoCloseable {

  final Graph graph = new Graph();
  final Ops tf = Ops.create(graph);
  final ParameterStore params;
  final Placeholder<TFloat32> images;
  final Classifier.Built built;
  final BuildContext root;
  final Session session;

  ModelHarness(ModelSpec spec, Mode mode, long seed) {
    params = new ParameterStore(tf, seed);
    images = tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(spec.input())));
    root = BuildContext.root(tf.withSubScope(mode.name().toLowerCase()), params, mode);
    built = Classifier.fromScaled(root, spec, images);
    session = TestSessions.open(graph);
    session.initialize();
  }

  void assign(String variable, float[] values) {
    var p = params.get(variable);
    try (TFloat32 t = Tensors.floats(p.shape(), values)) {
      var value = tf.placeholder(TFloat32.class, Placeholder.shape(p.shape()));
      session.runner().feed(value, t).addTarget(tf.assign(p.variable(), value)).run().close();
    }
  }

  float[] run(Operand<TFloat32> output, Shape inputShape, float[] input) {
    try (TFloat32 feed = Tensors.floats(inputShape, input);
        Result result = session.runner().feed(images, feed).fetch(tf.identity(output)).run()) {
      return Tensors.toFloats(result.get(0));
    }
  }

  /** What {@link #inBothModes} built and computed, by mode: the prompted images' static shape, the logits. */
  record BothModes(java.util.Map<Mode, long[]> promptedShape, java.util.Map<Mode, float[]> logits) {}

  /**
   * The classifier built for training and for inference in one graph over one set of variables, as a run
   * builds them, initialised once; both modes' logits for these images from one session run.
   */
  static BothModes inBothModes(ModelSpec spec, long seed, Shape shape, float[] images) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore params = new ParameterStore(tf, seed);
      Placeholder<TFloat32> input = tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(spec.input())));
      java.util.Map<Mode, Classifier.Built> built = new java.util.EnumMap<>(Mode.class);
      for (Mode mode : Mode.values()) {
        built.put(mode, Classifier.fromScaled(
            BuildContext.root(tf.withSubScope(mode.name().toLowerCase()), params, mode), spec, input));
      }
      java.util.Map<Mode, long[]> promptedShape = new java.util.EnumMap<>(Mode.class);
      built.forEach((mode, b) -> promptedShape.put(mode, b.prompted().shape().asArray()));
      java.util.Map<Mode, float[]> logits = new java.util.EnumMap<>(Mode.class);
      try (Session session = TestSessions.open(graph);
          TFloat32 feed = Tensors.floats(shape, images)) {
        session.initialize();
        Session.Runner runner = session.runner().feed(input, feed);
        built.values().forEach(b -> runner.fetch(tf.identity(b.logits())));
        try (Result result = runner.run()) {
          int i = 0;
          for (Mode mode : built.keySet()) {
            logits.put(mode, Tensors.toFloats(result.get(i++)));
          }
        }
      }
      return new BothModes(promptedShape, logits);
    }
  }

  static float[] randomImages(Shape shape, long seed) {
    var random = new java.util.SplittableRandom(seed);
    float[] values = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextDouble();
    }
    return values;
  }


  @Override
  public void close() {
    session.close();
    graph.close();
  }
}

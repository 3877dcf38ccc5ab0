package dev.vprompt.train.bench;

import dev.vprompt.graph.Classifier;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.ParameterStore;
import java.util.Iterator;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The FLOPs of one image's forward pass, counted from the model's own inference graph the way the
 * peer benchmarks count them: only convolutions and matrix products (Conv2D, DepthwiseConv2dNative,
 * MatMul, BatchMatMul*), two FLOPs per multiply-add. The graph is built with a static batch of 1 and
 * of 2 and the difference is taken, so products that do not depend on the image (a kernel built from
 * weights) are not counted. A training step is counted as three forward passes.
 */
public final class ForwardFlops {

  private ForwardFlops() {}

  public static double perImage(ModelSpec spec) {
    return multiplyAdds(spec, 2) * 2.0 - multiplyAdds(spec, 1) * 2.0;
  }

  private static long multiplyAdds(ModelSpec spec, int batch) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> images = tf.placeholder(TFloat32.class, Placeholder.shape(
          Shape.of(batch, spec.input().height(), spec.input().width(), spec.input().channels())));
      Classifier.fromScaled(BuildContext.root(tf, new ParameterStore(tf, 0), Mode.INFER), spec, images).logits();
      long total = 0;
      for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
        total += multiplyAdds(it.next());
      }
      return total;
    }
  }

  /** Multiply-adds of one op: output elements times the length of the reduced dimension(s). */
  static long multiplyAdds(GraphOperation op) {
    String type = op.type();
    Shape out = op.output(0).shape();
    if (type.equals("Conv2D")) {
      Shape kernel = op.input(1).shape();
      return elements(out) * kernel.get(0) * kernel.get(1) * kernel.get(2);
    }
    if (type.equals("DepthwiseConv2dNative")) {
      Shape kernel = op.input(1).shape();
      return elements(out) * kernel.get(0) * kernel.get(1);
    }
    if (type.equals("MatMul")) {
      Shape a = op.input(0).shape();
      return elements(out) * (op.attributes().getAttrBool("transpose_a") ? a.get(0) : a.get(1));
    }
    if (type.startsWith("BatchMatMul")) {
      Shape a = op.input(0).shape();
      int rank = a.numDimensions();
      return elements(out) * (op.attributes().getAttrBool("adj_x") ? a.get(rank - 2) : a.get(rank - 1));
    }
    return 0;
  }

  private static long elements(Shape shape) {
    if (shape.isUnknown() || shape.hasUnknownDimension()) {
      throw new IllegalStateException("a shape the FLOP count cannot use: " + shape);
    }
    return shape.size();
  }
}

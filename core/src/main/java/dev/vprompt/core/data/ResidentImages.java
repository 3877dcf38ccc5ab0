package dev.vprompt.core.data;

import dev.vprompt.ops.Tensors;
import dev.vprompt.core.data.ImageSet;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * One image split held in TensorFlow memory as uint8 {@code [N, H, W, C]} pixels and int32 labels,
 * loaded once; a step then feeds only a vector of row indices and gathers its batch in the graph. The
 * variables live under {@code data.*} and are never part of a checkpoint.
 */
public final class ResidentImages {

  private final Variable<TUint8> pixels;
  private final Variable<TInt32> labels;
  private final Placeholder<TUint8> pixelFeed;
  private final Placeholder<TInt32> labelFeed;
  private final org.tensorflow.op.Op load;
  private final Shape shape;

  public ResidentImages(Ops root, String name, ImageSet set) {
    shape = Shape.of(set.count(), set.height(), set.width(), set.channels());
    Ops init = root.withSubScope("data_load_" + name);
    pixelFeed = init.placeholder(TUint8.class, Placeholder.shape(shape));
    labelFeed = init.placeholder(TInt32.class, Placeholder.shape(Shape.of(set.count())));
    pixels = root.withName("data." + name + ".pixels").variable(shape, TUint8.class);
    labels = root.withName("data." + name + ".labels").variable(Shape.of(set.count()), TInt32.class);
    load = init.withControlDependencies(java.util.List.of(
        init.assign(pixels, pixelFeed), init.assign(labels, labelFeed))).noOp();
  }

  /** Copies the images into the session's memory: once per session, never per step. */
  public void load(Session session, ImageSet set) {
    if (set.count() != shape.get(0)) {
      throw new IllegalArgumentException("expected " + shape.get(0) + " images, got " + set.count());
    }
    try (TUint8 p = Tensors.bytes(shape, set.pixels());
        TInt32 l = Tensors.ints(Shape.of(set.count()), set.labels())) {
      session.runner().feed(pixelFeed, p).feed(labelFeed, l).addTarget(load).run().close();
    }
  }

  public Operand<TUint8> gatherPixels(Ops tf, Operand<TInt32> indices) {
    return tf.gather(pixels, indices, tf.constant(0));
  }

  public Operand<TInt32> gatherLabels(Ops tf, Operand<TInt32> indices) {
    return tf.gather(labels, indices, tf.constant(0));
  }

  public int count() {
    return Math.toIntExact(shape.get(0));
  }
}

package dev.vprompt.train.tensorboard;

import dev.vprompt.ops.Parameter;
import dev.vprompt.core.run.EpochMetrics;
import dev.vprompt.core.run.RunDirectory;
import dev.vprompt.train.trainer.ProgressListener;
import dev.vprompt.train.trainer.TrainingGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.summary.SummaryWriter;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

/**
 * TensorBoard logs written by the training graph itself: a {@code SummaryWriter} resource and
 * TensorFlow's scalar, histogram and image summary ops, run once per finished epoch (after its
 * checkpoint, so a resumed run never writes an epoch twice) and flushed. The step of every summary is
 * the epoch number, as in metrics.jsonl.
 *
 * <p>Per epoch: the metrics.jsonl scalars ({@code train/loss}, {@code train/accuracy}, {@code val/loss},
 * {@code val/accuracy}, {@code lr}, {@code images_per_sec}), for each prompt variable its root mean
 * square ({@code prompt_rms/NAME}) and a histogram of its values ({@code prompt/NAME}); every N epochs
 * and at the last, each prompt variable shaped like images ({@code [n, h, w, 1|3|4]}, the MSVP maps) as
 * an image ({@code prompt_map/NAME/image/0}: TensorFlow appends {@code /image/i}), enlarged with
 * nearest-neighbour sampling. TensorFlow scales float images with negative values so that 0 is
 * mid-grey.
 */
public final class TensorBoardLog implements ProgressListener, AutoCloseable {

  /** Metrics.jsonl fields and the tags they are logged under. */
  static final Map<String, String> SCALAR_TAGS = scalarTags();
  private static final int MIN_IMAGE_SIDE = 112;

  private final Session session;
  private final RunDirectory run;
  private final int epochs;
  private final int imagesEvery;
  private final Placeholder<TInt64> step;
  private final Map<String, Placeholder<TFloat32>> scalars = new LinkedHashMap<>();
  private final Map<String, Op> scalarWrites = new LinkedHashMap<>();
  private final List<Op> promptWrites = new ArrayList<>();
  private final List<Op> imageWrites = new ArrayList<>();
  private final Op flush;
  private final Op closeWriter;
  private long lastWritten;
  private boolean caughtUp;
  private boolean closed;

  /**
   * Opens a new event file in {@code dir} (TensorBoard reads all of a directory's files as one run).
   *
   * @param epochs the run's last epoch, which always gets images
   */
  public TensorBoardLog(TrainingGraph graph, RunDirectory run, Path dir, int epochs, int imagesEvery) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalArgumentException(dir + ": cannot create the TensorBoard directory (" + e.getMessage() + ")");
    }
    this.session = graph.session();
    this.run = run;
    this.epochs = epochs;
    this.imagesEvery = imagesEvery;
    this.lastWritten = EventFiles.lastSummaryStep(dir);

    Ops tf = Ops.create(graph.graph()).withSubScope("tensorboard");
    SummaryWriter writer = tf.summary.summaryWriter(SummaryWriter.sharedName("vprompt_tensorboard"));
    Op create = tf.summary.createSummaryFileWriter(writer, tf.constant(dir.toAbsolutePath().toString()),
        tf.constant(10), tf.constant(120_000), tf.constant(".v2"));
    step = tf.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
    for (Map.Entry<String, String> field : SCALAR_TAGS.entrySet()) {
      Placeholder<TFloat32> value = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      scalars.put(field.getKey(), value);
      scalarWrites.put(field.getKey(), tf.summary.writeScalarSummary(writer, step, tf.constant(field.getValue()), value));
    }
    for (Parameter p : graph.params().select(p -> p.name().startsWith("prompt."))) {
      String name = p.name().substring("prompt.".length());
      Operand<TFloat32> values = p.variable();
      Operand<TFloat32> flat = tf.reshape(values, tf.constant(new long[] {-1}));
      Operand<TFloat32> rms = tf.math.sqrt(tf.math.mean(tf.math.square(flat), tf.constant(0)));
      promptWrites.add(tf.summary.writeScalarSummary(writer, step, tf.constant("prompt_rms/" + name), rms));
      promptWrites.add(tf.summary.writeHistogramSummary(writer, step, tf.constant("prompt/" + name), values));
      if (isImageShaped(p.shape())) {
        imageWrites.add(tf.summary.writeImageSummary(writer, step, tf.constant("prompt_map/" + name),
            enlarged(tf, values, p.shape()), tf.constant(badColour((int) p.shape().get(3)))));
      }
    }
    flush = tf.summary.flushSummaryWriter(writer);
    closeWriter = tf.summary.closeSummaryWriter(writer);
    session.runner().addTarget(create).run();
  }

  static boolean isImageShaped(Shape shape) {
    if (shape.numDimensions() != 4) {
      return false;
    }
    long channels = shape.get(3);
    return shape.get(0) >= 1 && shape.get(0) <= 16 && shape.get(1) >= 1 && shape.get(2) >= 1
        && (channels == 1 || channels == 3 || channels == 4);
  }

  /** Small maps (MSVP's global map is 4 x 4) drawn at least {@value #MIN_IMAGE_SIDE} pixels high. */
  private static Operand<TFloat32> enlarged(Ops tf, Operand<TFloat32> images, Shape shape) {
    int factor = (int) Math.max(1, (MIN_IMAGE_SIDE + shape.get(1) - 1) / shape.get(1));
    if (factor == 1) {
      return images;
    }
    return tf.image.resizeNearestNeighbor(images,
        tf.constant(new int[] {(int) shape.get(1) * factor, (int) shape.get(2) * factor}));
  }

  /** Red where a value is not finite. */
  private static byte[] badColour(int channels) {
    byte[] colour = new byte[channels];
    colour[0] = (byte) 255;
    if (channels == 1 || channels == 4) {
      colour[channels - 1] = (byte) 255;
    }
    return colour;
  }

  @Override
  public void epochStarted(int epoch, int epochs, int steps) {
    catchUp(epoch);
  }

  @Override
  public void epochDone(EpochMetrics metrics, boolean best) {
    catchUp(metrics.epoch());
    write(metrics, true);
    flush();
  }

  /**
   * A resumed run: epochs whose checkpoint was saved but whose summaries were not (the process died in
   * between) get their scalars from metrics.jsonl; the epoch just restored also gets its prompt
   * summaries, the session holding exactly its weights.
   */
  private void catchUp(int nextEpoch) {
    if (caughtUp) {
      return;
    }
    caughtUp = true;
    for (EpochMetrics m : run.readMetrics()) {
      if (m.epoch() < nextEpoch) {
        write(m, m.epoch() == nextEpoch - 1);
      }
    }
    flush();
  }

  private void write(EpochMetrics m, boolean withPrompt) {
    if (m.epoch() <= lastWritten) {
      return;
    }
    Map<String, Double> values = values(m);
    List<TFloat32> feeds = new ArrayList<>();
    try (TInt64 stepFeed = TInt64.scalarOf(m.epoch())) {
      Session.Runner runner = session.runner().feed(step, stepFeed);
      for (Map.Entry<String, Double> v : values.entrySet()) {
        if (Double.isFinite(v.getValue())) {
          TFloat32 t = TFloat32.scalarOf(v.getValue().floatValue());
          feeds.add(t);
          runner.feed(scalars.get(v.getKey()), t).addTarget(scalarWrites.get(v.getKey()));
        }
      }
      if (withPrompt) {
        promptWrites.forEach(runner::addTarget);
        if (m.epoch() % imagesEvery == 0 || m.epoch() == epochs) {
          imageWrites.forEach(runner::addTarget);
        }
      }
      runner.run();
    } finally {
      feeds.forEach(TFloat32::close);
    }
    lastWritten = m.epoch();
  }

  static Map<String, Double> values(EpochMetrics m) {
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("train_loss", m.trainLoss());
    values.put("train_acc", m.trainAcc());
    values.put("val_loss", m.valLoss());
    values.put("val_acc", m.valAcc());
    values.put("lr", m.lr());
    values.put("images_per_sec", m.imagesPerSec());
    return values;
  }

  private static Map<String, String> scalarTags() {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("train_loss", "train/loss");
    tags.put("train_acc", "train/accuracy");
    tags.put("val_loss", "val/loss");
    tags.put("val_acc", "val/accuracy");
    tags.put("lr", "lr");
    tags.put("images_per_sec", "images_per_sec");
    return tags;
  }

  private void flush() {
    session.runner().addTarget(flush).run();
  }

  /** Writes what a resumed run that had nothing left to train still owed, and closes the event file. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!caughtUp) {
        catchUp(Integer.MAX_VALUE);
      }
    } finally {
      session.runner().addTarget(closeWriter).run();
    }
  }

  /** For messages: the directory a user passes to {@code tensorboard --logdir}. */
  public static String describe(Path dir) {
    return "TensorBoard logs: " + dir + " (tensorboard --logdir " + dir + ")";
  }
}

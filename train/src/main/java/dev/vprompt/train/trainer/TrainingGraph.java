package dev.vprompt.train.trainer;

import dev.vprompt.graph.Classifier;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import dev.vprompt.ops.loss.Losses;
import dev.vprompt.core.checkpoint.CheckpointIo;
import dev.vprompt.core.data.DatasetSplits;
import dev.vprompt.core.eval.Evaluator;
import dev.vprompt.train.optim.Optimizer;
import dev.vprompt.train.optim.OptimizerConfig;
import dev.vprompt.train.optim.TrainOp;
import dev.vprompt.train.pipeline.Augmentation;
import dev.vprompt.core.data.ResidentImages;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * One graph and session for a whole run: both splits resident in TensorFlow memory, the training step
 * (gather, augment, normalise, prompt, backbone, loss, gradients, update, batch-norm statistics) as a
 * single {@code Session.run} fed only row indices, the step seed and the learning rate, and inference
 * builds for validation and test that share every variable with it.
 */
public final class TrainingGraph implements AutoCloseable {

  private static final RunOptions FULL_TRACE =
      RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();

  /** What one step reports. */
  public record StepResult(float loss, int correct) {}

  /** Where a step's images come from. */
  public enum Feed {
    /** Gathered in the graph from the resident training split by fed row indices, then augmented. */
    RESIDENT,
    /** Fed whole from Java each step, already scaled to [0, 1] (a benchmark's fixed-batch reference). */
    FIXED_BATCH
  }

  private final Graph graph = new Graph();
  private final Session session;
  private final ParameterStore params;
  private final Feed feed;
  private final Placeholder<TInt32> batch;
  private final Placeholder<TFloat32> fedImages;
  private final Placeholder<TInt32> fedLabels;
  private final Operand<TInt64> stepSeed;
  private final Operand<TFloat32> learningRate;
  private final Operand<TFloat32> loss;
  private final Operand<TInt32> correct;
  private final TrainOp trainOp;
  private final Evaluator validation;
  private final Evaluator test;
  private final CheckpointIo checkpointIo;

  public TrainingGraph(ModelSpec spec, DatasetSplits data, Augmentation augmentation, OptimizerConfig optimizer,
      long seed, int threads, Predicate<String> frozen) {
    this(spec, data, augmentation, optimizer, seed, threads, frozen, Feed.RESIDENT);
  }

  public TrainingGraph(ModelSpec spec, DatasetSplits data, Augmentation augmentation, OptimizerConfig optimizer,
      long seed, int threads, Predicate<String> frozen, Feed feed) {
    this.feed = feed;
    Ops tf = Ops.create(graph);
    params = new ParameterStore(tf, seed, frozen);
    ResidentImages trainImages = new ResidentImages(tf, "train", data.train());
    ResidentImages testImages = new ResidentImages(tf, "test", data.test());

    Ops train = tf.withSubScope("train");
    batch = train.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    fedImages = train.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(spec.input())));
    fedLabels = train.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    stepSeed = train.placeholderWithDefault(train.constant(new long[] {seed, 0}), Shape.of(2));
    learningRate = train.placeholderWithDefault(train.constant(0f), Shape.scalar());
    BuildContext ctx = BuildContext.root(train, params, Mode.TRAIN, stepSeed);
    Operand<TFloat32> images;
    Operand<TInt32> labels;
    if (feed == Feed.RESIDENT) {
      Operand<TFloat32> scaled = train.math.mul(
          train.dtypes.cast(trainImages.gatherPixels(train, batch), TFloat32.class), train.constant(1f / 255f));
      images = augmentation.apply(ctx, scaled);
      labels = trainImages.gatherLabels(train, batch);
    } else {
      images = fedImages;
      labels = fedLabels;
    }
    Operand<TFloat32> logits = Classifier.fromScaled(ctx, spec, images).logits();
    loss = Losses.sparseCrossEntropy(train, logits, labels);
    correct = train.reduceSum(
        train.dtypes.cast(train.math.equal(train.math.argMax(logits, train.constant(1), TInt32.class), labels),
            TInt32.class),
        train.constant(0));
    trainOp = Optimizer.minimize(tf, graph, loss, params.trainable(), optimizer, learningRate, ctx.updates());

    validation = new Evaluator(tf, "val", params, spec, trainImages, data.train().labels());
    test = new Evaluator(tf, "test", params, spec, testImages, data.test().labels());

    Map<String, Variable<?>> saved = new LinkedHashMap<>();
    for (Parameter p : params.all()) {
      saved.put(p.name(), p.variable());
    }
    saved.putAll(trainOp.state());
    checkpointIo = new CheckpointIo(tf.withSubScope("checkpoint"), saved);

    session = new Session(graph, sessionConfig(threads));
    session.initialize();
    trainImages.load(session, data.train());
    testImages.load(session, data.test());
  }

  /** Intra-op threads as asked (0: all cores); two inter-op threads were best measured on 2 cores. */
  public static ConfigProto sessionConfig(int threads) {
    int intra = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(intra)
        .setInterOpParallelismThreads(Math.min(2, intra))
        .setAllowSoftPlacement(true)
        .build();
  }

  /** One optimisation step on the given rows of the training split. */
  public StepResult step(int[] rows, float lr, long globalStep, long seed) {
    requireFeed(Feed.RESIDENT);
    try (TInt32 rowsFeed = Tensors.ints(Shape.of(rows.length), rows)) {
      return run(session.runner().feed(batch, rowsFeed), lr, globalStep, seed);
    }
  }

  /**
   * {@link #step(int[], float, long, long)} with TensorFlow's full trace: the step trains as usual and
   * its kernels' step statistics are returned (for {@code vprompt bench --profile}).
   */
  public RunMetadata tracedStep(int[] rows, float lr, long globalStep, long seed) {
    requireFeed(Feed.RESIDENT);
    try (TInt32 rowsFeed = Tensors.ints(Shape.of(rows.length), rows);
        TFloat32 lrFeed = TFloat32.scalarOf(lr);
        TInt64 seedFeed = Tensors.longs(Shape.of(2), seed, globalStep);
        Result result = session.runner().feed(batch, rowsFeed).feed(learningRate, lrFeed).feed(stepSeed, seedFeed)
            .addTarget(trainOp.step()).fetch(loss).setOptions(FULL_TRACE).runAndFetchMetadata()) {
      return result.getMetadata().orElseThrow(() -> new IllegalStateException("TensorFlow returned no step statistics"));
    }
  }

  /** One optimisation step on a batch fed from Java ({@link Feed#FIXED_BATCH} graphs). */
  public StepResult step(TFloat32 images, TInt32 labels, float lr, long globalStep, long seed) {
    requireFeed(Feed.FIXED_BATCH);
    return run(session.runner().feed(fedImages, images).feed(fedLabels, labels), lr, globalStep, seed);
  }

  private void requireFeed(Feed expected) {
    if (feed != expected) {
      throw new IllegalStateException("this graph was built for " + feed + " input, not " + expected);
    }
  }

  private StepResult run(Session.Runner runner, float lr, long globalStep, long seed) {
    try (TFloat32 lrFeed = TFloat32.scalarOf(lr);
        TInt64 seedFeed = Tensors.longs(Shape.of(2), seed, globalStep);
        Result result = runner
            .feed(learningRate, lrFeed)
            .feed(stepSeed, seedFeed)
            .addTarget(trainOp.step())
            .fetch(loss)
            .fetch(correct)
            .run()) {
      return new StepResult(Tensors.scalar(result.get(0)), ((TInt32) result.get(1)).getInt());
    }
  }

  public Session session() {
    return session;
  }

  /** The graph, for ops added after construction (TensorBoard summaries); the session extends to them. */
  public Graph graph() {
    return graph;
  }

  public ParameterStore params() {
    return params;
  }

  public Evaluator validation() {
    return validation;
  }

  public Evaluator test() {
    return test;
  }

  public CheckpointIo checkpointIo() {
    return checkpointIo;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}

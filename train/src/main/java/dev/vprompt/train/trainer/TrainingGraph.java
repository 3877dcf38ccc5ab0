package dev.vprompt.train.trainer;

import dev.vprompt.graph.Classifier;
import dev.vprompt.graph.LabelMap;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.GraphIds;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import dev.vprompt.ops.loss.Losses;
import dev.vprompt.ops.placement.ClusterReset;
import dev.vprompt.ops.placement.DeviceLayout;
import dev.vprompt.ops.placement.SessionSpec;
import dev.vprompt.core.checkpoint.CheckpointIo;
import dev.vprompt.core.data.DatasetSplits;
import dev.vprompt.core.eval.Evaluator;
import dev.vprompt.train.optim.Optimizer;
import dev.vprompt.train.optim.OptimizerConfig;
import dev.vprompt.train.optim.TrainOp;
import dev.vprompt.train.pipeline.Augmentation;
import dev.vprompt.train.pipeline.BatchMix;
import dev.vprompt.core.data.ResidentImages;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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
import org.tensorflow.proto.GraphDef;
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

  /** How long the clear after a run waits for the cluster's master. */
  static final long RELEASE_TIMEOUT_MS = 10_000;

  private final Graph graph = GraphIds.pin(new Graph());
  private final Session session;
  /** The cluster's session spec (null in process): cleared again when this graph closes. */
  private final SessionSpec cluster;
  private final ParameterStore params;
  private final Feed feed;
  private final List<Placeholder<TInt32>> towerRows;
  private final List<Placeholder<TInt32>> partnerRows;
  private final Placeholder<TFloat32> fedImages;
  private final Placeholder<TInt32> fedLabels;
  private final Operand<TInt64> stepSeed;
  private final Operand<TFloat32> learningRate;
  private final Operand<TFloat32> loss;
  private final Operand<TInt32> correct;
  private final TrainOp trainOp;
  private final DeviceLayout layout;
  private final Evaluator validation;
  private final Evaluator test;
  private final CheckpointIo checkpointIo;
  private final Placeholder<TFloat32> labelMapFeed;
  private final org.tensorflow.op.Op labelMapAssign;

  public TrainingGraph(ModelSpec spec, DatasetSplits data, Augmentation augmentation, OptimizerConfig optimizer,
      long seed, int threads, Predicate<String> frozen) {
    this(spec, data, augmentation, optimizer, seed, threads, frozen, Feed.RESIDENT);
  }

  public TrainingGraph(ModelSpec spec, DatasetSplits data, Augmentation augmentation, OptimizerConfig optimizer,
      long seed, int threads, Predicate<String> frozen, Feed feed) {
    this(spec, data, augmentation, optimizer, seed, threads, frozen, feed, SessionSpec.LOCAL);
  }

  /**
   * @param sessionSpec one device (today's graph) or data-parallel towers, in process or on a cluster's
   *     workers; a run's variables, checkpoints and exported model are the same either way
   */
  public TrainingGraph(ModelSpec spec, DatasetSplits data, Augmentation augmentation, OptimizerConfig optimizer,
      long seed, int threads, Predicate<String> frozen, Feed feed, SessionSpec sessionSpec) {
    this(spec, data, augmentation, optimizer, seed, threads, frozen, feed, sessionSpec, true);
  }

  /** A training graph's definition and the ops one step runs (its train op, loss and correct count). */
  public record Definition(GraphDef graph, List<String> step) {}

  /**
   * The graph a run trains with, built but never opened (no session, nothing allocated): for checks of
   * the graph itself, such as which ops have GPU kernels.
   */
  public static Definition definition(ModelSpec spec, DatasetSplits data, Augmentation augmentation,
      OptimizerConfig optimizer, long seed, Predicate<String> frozen, SessionSpec sessionSpec) {
    try (TrainingGraph unopened = new TrainingGraph(spec, data, augmentation, optimizer, seed, 1, frozen,
        Feed.RESIDENT, sessionSpec, false)) {
      return new Definition(unopened.graph.toGraphDef(), List.of(unopened.trainOp.step().op().name(),
          unopened.loss.op().name(), unopened.correct.op().name()));
    }
  }

  private TrainingGraph(ModelSpec spec, DatasetSplits data, Augmentation augmentation, OptimizerConfig optimizer,
      long seed, int threads, Predicate<String> frozen, Feed feed, SessionSpec sessionSpec, boolean open) {
    this.feed = feed;
    this.layout = sessionSpec.layout();
    if (layout.parallel() && feed != Feed.RESIDENT) {
      throw new IllegalArgumentException("towers gather their rows from the resident split; a fed batch is one device's");
    }
    Ops tf = layout.variables() == null ? Ops.create(graph) : layout.variables().on(Ops.create(graph));
    params = new ParameterStore(tf, seed, frozen);
    ResidentImages trainImages = new ResidentImages(tf, "train", data.train());
    ResidentImages testImages = new ResidentImages(tf, "test", data.test());
    List<ResidentImages> towerImages = towerImages(graph, layout, trainImages, data);

    Ops train = tf.withSubScope("train");
    fedImages = train.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(spec.input())));
    fedLabels = train.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    stepSeed = train.placeholderWithDefault(train.constant(new long[] {seed, 0}), Shape.of(2));
    learningRate = train.placeholderWithDefault(train.constant(0f), Shape.scalar());
    if (layout.parallel()) {
      TowerStep towers = new TowerStep(graph, tf, params, spec, layout, towerImages, augmentation, optimizer,
          stepSeed, learningRate);
      towerRows = List.copyOf(towers.rows);
      partnerRows = List.copyOf(towers.partnerRows);
      loss = towers.loss;
      correct = towers.correct;
      trainOp = towers.trainOp;
    } else {
      Placeholder<TInt32> batch = train.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      towerRows = List.of(batch);
      partnerRows = List.of();
      OneDeviceStep step = oneDevice(tf, train, spec, augmentation, optimizer, trainImages, batch);
      loss = step.loss();
      correct = step.correct();
      trainOp = step.trainOp();
    }

    validation = new Evaluator(tf, "val", params, spec, trainImages, data.train().labels());
    test = new Evaluator(tf, "test", params, spec, testImages, data.test().labels());
    if (spec.labelMap() != null && spec.labelMap().assigned()) {
      Ops assign = tf.withSubScope("label_map_update");
      labelMapFeed = assign.placeholder(TFloat32.class, Placeholder.shape(Shape.of(spec.classes())));
      labelMapAssign = assign.assign(params.get(LabelMap.ASSIGNMENT).variable(), labelMapFeed);
    } else {
      labelMapFeed = null;
      labelMapAssign = null;
    }

    Map<String, Variable<?>> saved = new LinkedHashMap<>();
    for (Parameter p : params.all()) {
      saved.put(p.name(), p.variable());
    }
    saved.putAll(trainOp.state());
    checkpointIo = new CheckpointIo(tf.withSubScope("checkpoint"), saved);

    cluster = open && sessionSpec.target() != null ? sessionSpec : null;
    if (!open) {
      session = null;
      return;
    }
    if (cluster != null) {
      // the workers keep variables between clients: clear them, or a previous run's (or another model's,
      // same name, other shape) would meet this run's initialisers; --resume restores from its checkpoint
      ClusterReset.clear(cluster);
    }
    session = sessionSpec.open(graph, threads);
    session.initialize();
    trainImages.load(session, data.train());
    testImages.load(session, data.test());
    for (ResidentImages copy : towerImages) {
      if (copy != trainImages) {
        copy.load(session, data.train());
      }
    }
  }

  /** Per tower, the resident copy it gathers from: the one next to the variables, or one per worker. */
  private static List<ResidentImages> towerImages(Graph graph, DeviceLayout layout, ResidentImages shared,
      DatasetSplits data) {
    List<ResidentImages> images = new ArrayList<>();
    for (int k = 0; k < layout.towerCount(); k++) {
      DeviceLayout.Device device = layout.tower(k);
      boolean own = layout.dataPerTower() && device != null && !device.host().equals(layout.variables().host());
      images.add(own ? new ResidentImages(device.host().on(Ops.create(graph)), "train_tower" + k,
          data.train()) : shared);
    }
    return images;
  }

  private record OneDeviceStep(Operand<TFloat32> loss, Operand<TInt32> correct, TrainOp trainOp) {}

  /** The single-device step, exactly as vprompt has always built it. */
  private OneDeviceStep oneDevice(Ops tf, Ops train, ModelSpec spec, Augmentation augmentation,
      OptimizerConfig optimizer, ResidentImages trainImages, Placeholder<TInt32> batch) {
    BuildContext ctx = BuildContext.root(train, params, Mode.TRAIN, stepSeed);
    Operand<TFloat32> scaled;
    Operand<TInt32> labels;
    if (feed == Feed.RESIDENT) {
      scaled = train.math.mul(
          train.dtypes.cast(trainImages.gatherPixels(train, batch), TFloat32.class), train.constant(1f / 255f));
      labels = trainImages.gatherLabels(train, batch);
    } else {
      scaled = fedImages;
      labels = fedLabels;
    }
    boolean augmented = feed == Feed.RESIDENT;
    // augmented (and mixed) after the resize, at the backbone's resolution
    List<Operand<TFloat32>> mixedTargets = new ArrayList<>(1);
    Operand<TFloat32> logits = Classifier.fromScaled(ctx, spec, scaled, resized -> {
      Operand<TFloat32> images = augmented ? augmentation.apply(ctx, resized) : resized;
      if (!augmentation.mix().active()) {
        return images;
      }
      // timm mixes x with x.flip(0): on one device the partners are the batch reversed
      Operand<TInt32> first = train.constant(new int[] {0});
      BatchMix.Mixed mixed = augmentation.mix().apply(ctx, images, train.reverse(images, first), labels,
          train.reverse(labels, first), spec.classes());
      mixedTargets.add(mixed.targets());
      return mixed.images();
    }).logits();
    Operand<TFloat32> targets = mixedTargets.isEmpty() ? null : mixedTargets.get(0);
    Operand<TFloat32> loss = targets == null ? Losses.sparseCrossEntropy(train, logits, labels)
        : train.math.div(Losses.softCrossEntropySum(train, logits, targets),
            train.dtypes.cast(train.size(labels, TInt32.class), TFloat32.class));
    Operand<TInt32> correct = train.reduceSum(
        train.dtypes.cast(train.math.equal(train.math.argMax(logits, train.constant(1), TInt32.class), labels),
            TInt32.class),
        train.constant(0));
    return new OneDeviceStep(loss, correct,
        Optimizer.minimize(tf, graph, loss, params.trainable(), optimizer, learningRate, ctx.updates()));
  }

  /** Intra-op threads as asked (0: all cores) on one local device: the session every single-device run opens. */
  public static ConfigProto sessionConfig(int threads) {
    return SessionSpec.LOCAL.config(threads);
  }

  /** One optimisation step on the given rows of the training split. */
  public StepResult step(int[] rows, float lr, long globalStep, long seed) {
    requireFeed(Feed.RESIDENT);
    List<TInt32> feeds = new ArrayList<>(towerRows.size());
    try {
      return run(feedRows(session.runner(), rows, feeds), lr, globalStep, seed);
    } finally {
      feeds.forEach(TInt32::close);
    }
  }

  /**
   * {@link #step(int[], float, long, long)} with TensorFlow's full trace: the step trains as usual and
   * its kernels' step statistics are returned (for {@code vprompt bench --profile}).
   */
  public RunMetadata tracedStep(int[] rows, float lr, long globalStep, long seed) {
    requireFeed(Feed.RESIDENT);
    List<TInt32> feeds = new ArrayList<>(towerRows.size());
    try (TFloat32 lrFeed = TFloat32.scalarOf(lr);
        TInt64 seedFeed = Tensors.longs(Shape.of(2), seed, globalStep);
        Result result = feedRows(session.runner(), rows, feeds).feed(learningRate, lrFeed).feed(stepSeed, seedFeed)
            .addTarget(trainOp.step()).fetch(loss).setOptions(FULL_TRACE).runAndFetchMetadata()) {
      return result.getMetadata().orElseThrow(() -> new IllegalStateException("TensorFlow returned no step statistics"));
    } finally {
      feeds.forEach(TInt32::close);
    }
  }

  /**
   * Feeds each tower its contiguous share of the rows, sizes differing by at most one (DataParallel's
   * scatter), and under mixup the rows of its partners, the same share of the batch reversed.
   */
  private Session.Runner feedRows(Session.Runner runner, int[] rows, List<TInt32> feeds) {
    int n = towerRows.size();
    int start = 0;
    for (int k = 0; k < n; k++) {
      int size = rows.length / n + (k < rows.length % n ? 1 : 0);
      TInt32 share = Tensors.ints(Shape.of(size), Arrays.copyOfRange(rows, start, start + size));
      feeds.add(share);
      runner.feed(towerRows.get(k), share);
      if (!partnerRows.isEmpty()) {
        int from = rows.length - start - size;
        TInt32 partners = Tensors.ints(Shape.of(size), Arrays.copyOfRange(rows, from, from + size));
        feeds.add(partners);
        runner.feed(partnerRows.get(k), partners);
      }
      start += size;
    }
    return runner;
  }

  /** The step's gradient for each trainable parameter on the given rows, without updating anything. */
  float[][] gradients(int[] rows, long globalStep, long seed) {
    List<TInt32> feeds = new ArrayList<>(towerRows.size());
    try (TInt64 seedFeed = Tensors.longs(Shape.of(2), seed, globalStep)) {
      Session.Runner runner = feedRows(session.runner(), rows, feeds).feed(stepSeed, seedFeed);
      trainOp.gradients().forEach(runner::fetch);
      try (Result result = runner.run()) {
        float[][] values = new float[result.size()][];
        for (int i = 0; i < values.length; i++) {
          values[i] = Tensors.toFloats(result.get(i));
        }
        return values;
      }
    } finally {
      feeds.forEach(TInt32::close);
    }
  }

  /** Sets a computed label map's assignment: {@code sourceOf[t]} is the source class read for target class t. */
  public void assignLabelMap(int[] sourceOf) {
    if (labelMapAssign == null) {
      throw new IllegalStateException("this model has no computed label map");
    }
    float[] values = new float[sourceOf.length];
    for (int t = 0; t < values.length; t++) {
      values[t] = sourceOf[t];
    }
    try (TFloat32 feed = Tensors.floats(Shape.of(values.length), values)) {
      session.runner().feed(labelMapFeed, feed).addTarget(labelMapAssign).run();
    }
  }

  public DeviceLayout layout() {
    return layout;
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
    if (session != null) {
      session.close();
    }
    graph.close();
    if (cluster != null) {
      releaseCluster();
    }
  }

  /**
   * Frees what this run left on the workers (its variables and each worker's resident training split)
   * rather than holding it until the next client. Best effort, with a short bound: after a run that failed
   * because a task died this fails too, and its error must not hide the run's (nor delay it by more than
   * the bound); nothing is lost, since the next client clears before it initialises.
   */
  private void releaseCluster() {
    try {
      ClusterReset.clear(cluster, Math.min(RELEASE_TIMEOUT_MS,
          cluster.operationTimeoutMs() > 0 ? cluster.operationTimeoutMs() : RELEASE_TIMEOUT_MS));
    } catch (RuntimeException ignored) {
      // see above: the next client's clear covers it
    }
  }
}

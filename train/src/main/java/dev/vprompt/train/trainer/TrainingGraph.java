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
import dev.vprompt.core.data.ImageSet;
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
  /** Sharded worker data, or null: every tower gathers from a copy of the whole split. */
  private final TrainingShards shards;
  /** Sharded, under a computed label map: per shard, the head's predictions on its rows where they are. */
  private final List<Evaluator> shardPredictions;
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
    this(spec, data, augmentation, optimizer, seed, threads, frozen, feed, sessionSpec, null, true);
  }

  /**
   * @param shards sharded worker data: tower k holds only shard k of the training split (one shard per
   *     tower) and the validation rows live next to the variables; steps must then follow {@link
   *     RowOrder#shardedEpochOrder}. Null: replicated, every tower can gather any row.
   */
  public TrainingGraph(ModelSpec spec, DatasetSplits data, Augmentation augmentation, OptimizerConfig optimizer,
      long seed, int threads, Predicate<String> frozen, SessionSpec sessionSpec, TrainingShards shards) {
    this(spec, data, augmentation, optimizer, seed, threads, frozen, Feed.RESIDENT, sessionSpec, shards, true);
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
        Feed.RESIDENT, sessionSpec, null, false)) {
      return new Definition(unopened.graph.toGraphDef(), List.of(unopened.trainOp.step().op().name(),
          unopened.loss.op().name(), unopened.correct.op().name()));
    }
  }

  private TrainingGraph(ModelSpec spec, DatasetSplits data, Augmentation augmentation, OptimizerConfig optimizer,
      long seed, int threads, Predicate<String> frozen, Feed feed, SessionSpec sessionSpec, TrainingShards shards,
      boolean open) {
    this.feed = feed;
    this.layout = sessionSpec.layout();
    this.shards = shards;
    if (layout.parallel() && feed != Feed.RESIDENT) {
      throw new IllegalArgumentException("towers gather their rows from the resident split; a fed batch is one device's");
    }
    if (shards != null && (feed != Feed.RESIDENT || shards.count() != layout.towerCount())) {
      throw new IllegalArgumentException("sharded worker data needs one shard per tower and the resident feed: "
          + shards.count() + " shards, " + layout.towerCount() + " towers");
    }
    Ops tf = layout.variables() == null ? Ops.create(graph) : layout.variables().on(Ops.create(graph));
    params = new ParameterStore(tf, seed, frozen);
    // sharded: no copy of the whole split anywhere; the validation rows alone sit next to the variables
    ResidentImages trainImages = shards == null ? new ResidentImages(tf, "train", data.train()) : null;
    ImageSet validationSet = shards == null || shards.validation().length == 0 ? null
        : data.train().subset(shards.validation());
    ResidentImages validationImages = validationSet == null ? null : new ResidentImages(tf, "val", validationSet);
    ResidentImages testImages = new ResidentImages(tf, "test", data.test());
    List<ImageSet> towerSets = new ArrayList<>();
    List<ResidentImages> towerImages = shards == null ? towerImages(graph, layout, trainImages, data)
        : shardImages(tf, layout, data, shards, towerSets);

    Ops train = tf.withSubScope("train");
    fedImages = train.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(spec.input())));
    fedLabels = train.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    stepSeed = train.placeholderWithDefault(train.constant(new long[] {seed, 0}), Shape.of(2));
    learningRate = train.placeholderWithDefault(train.constant(0f), Shape.scalar());
    if (layout.parallel()) {
      TowerStep towers = new TowerStep(graph, tf, params, spec, layout, towerImages, shards != null, augmentation,
          optimizer, stepSeed, learningRate);
      towerRows = List.copyOf(towers.rows);
      partnerRows = List.copyOf(towers.partnerRows);
      loss = towers.loss;
      correct = towers.correct;
      trainOp = towers.trainOp;
    } else {
      Placeholder<TInt32> batch = train.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      towerRows = List.of(batch);
      partnerRows = List.of();
      OneDeviceStep step = oneDevice(tf, train, spec, augmentation, optimizer, towerImages.get(0), batch);
      loss = step.loss();
      correct = step.correct();
      trainOp = step.trainOp();
    }

    if (shards == null) {
      validation = new Evaluator(tf, "val", params, spec, trainImages, data.train().labels());
    } else {
      validation = validationSet == null ? null
          : new Evaluator(tf, "val", params, spec, validationImages, validationSet.labels());
    }
    test = new Evaluator(tf, "test", params, spec, testImages, data.test().labels());
    List<Evaluator> predictions = new ArrayList<>();
    if (shards != null && spec.labelMap() != null && spec.labelMap().assigned()) {
      for (int k = 0; k < shards.count(); k++) {
        predictions.add(new Evaluator(shardOps(tf, layout, k), "label_map_shard" + k, params, spec, towerImages.get(k),
            towerSets.get(k).labels()));
      }
    }
    shardPredictions = List.copyOf(predictions);
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
    testImages.load(session, data.test());
    if (shards == null) {
      trainImages.load(session, data.train());
      for (ResidentImages copy : towerImages) {
        if (copy != trainImages) {
          copy.load(session, data.train());
        }
      }
    } else {
      if (validationImages != null) {
        validationImages.load(session, validationSet);
      }
      for (int k = 0; k < towerImages.size(); k++) {
        towerImages.get(k).load(session, towerSets.get(k));
      }
    }
  }

  /**
   * Per tower, its shard as a resident copy where the tower gathers: on a worker's CPU, on the tower's
   * device if it is a CPU, else on its host's CPU (uint8 gathers have no GPU kernel); on one device, next
   * to the variables. {@code sets} receives each shard's images.
   */
  private static List<ResidentImages> shardImages(Ops tf, DeviceLayout layout, DatasetSplits data,
      TrainingShards shards, List<ImageSet> sets) {
    List<ResidentImages> images = new ArrayList<>();
    for (int k = 0; k < shards.count(); k++) {
      ImageSet shard = data.train().subset(shards.rows(k));
      sets.add(shard);
      images.add(new ResidentImages(shardOps(tf, layout, k), "train_shard" + k, shard));
    }
    return images;
  }

  /** Ops on the device that holds shard k (see {@link #shardImages}); the root scope. */
  private static Ops shardOps(Ops tf, DeviceLayout layout, int k) {
    DeviceLayout.Device device = layout.tower(k);
    if (device == null) {
      return tf;
    }
    boolean cpu = device.type() == org.tensorflow.DeviceSpec.DeviceType.CPU;
    return (cpu && !layout.dataPerTower() ? device : device.host()).on(tf);
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
      int size = RowOrder.share(rows.length, n, k);
      // sharded: tower k holds only its shard, so it is fed positions in it (and refuses rows of others)
      int[] fed = shards == null ? Arrays.copyOfRange(rows, start, start + size)
          : shards.positionsInShard(k, rows, start, start + size);
      TInt32 share = Tensors.ints(Shape.of(size), fed);
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

  /** The loss and accuracy on the given validation rows of the training split. */
  public dev.vprompt.core.eval.EvalResult validate(int[] rows, int batchSize) {
    if (shards == null) {
      return validation.evaluate(session, rows, batchSize);
    }
    if (validation == null) {
      throw new IllegalStateException("this run has no validation rows");
    }
    return validation.evaluate(session, shards.positionsInValidation(rows), batchSize);
  }

  /**
   * The class the head predicts (inference mode, no augmentation) for each of the given training rows,
   * for a computed label map: sharded, each shard's rows are predicted on the worker that holds them.
   */
  public int[] headPredictions(int[] rows, int batchSize) {
    if (shards == null) {
      return validation.headPredictions(session, rows, batchSize);
    }
    if (shardPredictions.isEmpty()) {
      throw new IllegalStateException("this graph has no computed label map to predict for");
    }
    // each row's place in the answer, grouped by the shard that holds it
    List<List<Integer>> at = new ArrayList<>();
    for (int k = 0; k < shards.count(); k++) {
      at.add(new ArrayList<>());
    }
    for (int i = 0; i < rows.length; i++) {
      int shard = shards.shardOf(rows[i]);
      if (shard < 0) {
        throw new IllegalArgumentException("row " + rows[i] + " is not a training row");
      }
      at.get(shard).add(i);
    }
    int[] predicted = new int[rows.length];
    for (int k = 0; k < shards.count(); k++) {
      List<Integer> places = at.get(k);
      int[] positions = places.stream().mapToInt(i -> shards.positionOf(rows[i])).toArray();
      int[] shardPredicted = shardPredictions.get(k).headPredictions(session, positions, batchSize);
      for (int j = 0; j < positions.length; j++) {
        predicted[places.get(j)] = shardPredicted[j];
      }
    }
    return predicted;
  }

  /** Sharded worker data, or null when every tower holds the whole training split. */
  public TrainingShards shards() {
    return shards;
  }

  /** One resident data variable of the graph: its name, the device asked for and its rows. */
  public record ResidentVariable(String name, String device, long rows, long bytes) {}

  /**
   * The resident data variables (images and labels of each copy) as the graph defines them, for the
   * memory each task holds: read from the graph's variable ops, not from what was asked.
   */
  public List<ResidentVariable> residentVariables() {
    List<ResidentVariable> out = new ArrayList<>();
    var ops = graph.operations();
    while (ops.hasNext()) {
      org.tensorflow.GraphOperation op = ops.next();
      if (op.type().equals("VariableV2") && op.name().startsWith("data.")) {
        Shape shape = op.output(0).shape();
        // a VariableV2's output is a reference type (DT_UINT8_REF); pixels are uint8, labels int32
        long bytes = shape.size() * (op.output(0).dataType().name().startsWith("DT_UINT8") ? 1 : 4);
        out.add(new ResidentVariable(op.name(), op.device(), shape.get(0), bytes));
      }
    }
    return out;
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

package dev.vprompt.train.trainer;

import dev.vprompt.graph.Classifier;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.loss.Losses;
import dev.vprompt.ops.placement.DeviceLayout;
import dev.vprompt.ops.placement.SubgraphPlacement;
import dev.vprompt.ops.placement.TowerLockstep;
import dev.vprompt.train.optim.Optimizer;
import dev.vprompt.train.optim.OptimizerConfig;
import dev.vprompt.train.optim.TrainOp;
import dev.vprompt.train.pipeline.Augmentation;
import dev.vprompt.train.pipeline.BatchMix;
import dev.vprompt.core.data.ResidentImages;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The training step of data-parallel towers in one graph: each tower gathers its rows of the global batch
 * from resident images, augments them, runs the model on its device and differentiates its share of the
 * global batch's mean loss; the gradients are summed on the variables' device and applied once. Summing
 * each tower's {@code sum(loss) / global batch} makes the step's gradient the full batch's, whatever the
 * split.
 *
 * <p>Random ops (augmentation, dropout) draw the global batch's numbers and keep the tower's rows, so the
 * towers together see what one device would. Batch-norm is per tower by default: each tower normalises
 * with its own batch statistics and only tower 0's statistics update the moving averages, as PyTorch's
 * DataParallel does (its replica on device 0 holds the module's buffers; the others' updates are
 * dropped). With {@link DeviceLayout#syncBatchNorm()} the towers are built in lockstep ({@link
 * TowerLockstep}) and batch-norm normalises with the global batch's moments, summed over the towers in
 * the graph, as PyTorch's SyncBatchNorm.
 *
 * <p>With sharded worker data each tower's resident images are its shard only and it is fed positions in
 * it; the random draws still follow the global batch. Under mixup / cutmix a tower then mixes its rows
 * with its own rows reversed (a partner held by another tower is not there), as timm does in each process
 * of DistributedDataParallel.
 */
final class TowerStep {

  final List<Placeholder<TInt32>> rows = new ArrayList<>();
  /** Per tower, the rows its images are mixed with (mixup / cutmix only; empty otherwise). */
  final List<Placeholder<TInt32>> partnerRows = new ArrayList<>();
  final Operand<TFloat32> loss;
  final Operand<TInt32> correct;
  final TrainOp trainOp;

  /**
   * @param tf ops at the root scope on the variables' device
   * @param images per tower, the resident training split (or its shard) its rows are gathered from
   * @param sharded whether each tower holds only its shard, so that it mixes only with its own rows
   */
  TowerStep(Graph graph, Ops tf, ParameterStore params, ModelSpec spec, DeviceLayout layout,
      List<ResidentImages> images, boolean sharded, Augmentation augmentation, OptimizerConfig optimizer,
      Operand<TInt64> stepSeed, Operand<TFloat32> learningRate) {
    int n = layout.towerCount();
    Ops train = tf.withSubScope("train");
    List<Operand<TFloat32>> lossSums = new ArrayList<>();
    List<Operand<TInt32>> corrects = new ArrayList<>();
    Ops mean = train.withSubScope("tower_mean");
    List<Operand<TInt32>> offsets = new ArrayList<>();
    Operand<TInt32> offset = mean.constant(0);
    for (int k = 0; k < n; k++) {
      Placeholder<TInt32> towerRows = train.withSubScope("tower" + k)
          .placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      rows.add(towerRows);
      if (augmentation.mix().active() && !sharded) {
        partnerRows.add(train.withSubScope("tower" + k + "_partners")
            .placeholder(TInt32.class, Placeholder.shape(Shape.of(-1))));
      }
      offsets.add(offset);
      offset = mean.math.add(offset, mean.size(towerRows, TInt32.class));
    }
    Operand<TInt32> globalSize = offset;
    boolean sync = layout.syncBatchNorm() && n > 1;
    TowerLockstep lockstep = sync ? new TowerLockstep(n) : null;
    Ops reduce = sync ? train.withSubScope("sync_bn") : null;
    @SuppressWarnings("unchecked")
    Operand<TFloat32>[] towerLossSums = new Operand[n];
    @SuppressWarnings("unchecked")
    Operand<TInt32>[] towerCorrects = new Operand[n];
    List<List<Op>> towerUpdates = new ArrayList<>();
    List<Runnable> builds = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      towerUpdates.add(null);
      int t = k;
      builds.add(() -> {
        Ops scoped = train.withSubScope("tower" + t);
        DeviceLayout.Device device = layout.tower(t);
        Ops tower = device == null ? scoped : device.on(scoped);
        Placeholder<TInt32> towerRows = rows.get(t);
        ResidentImages source = images.get(t);
        // Gathered where the images are, so that only the batch, not the split, crosses to the tower.
        Ops gather = layout.dataPerTower() && device != null ? device.host().on(scoped) : scoped;
        Operand<TFloat32> scaled = tower.math.mul(
            tower.dtypes.cast(source.gatherPixels(gather, towerRows), TFloat32.class), tower.constant(1f / 255f));
        BuildContext ctx = BuildContext.tower(tower, params, Mode.TRAIN, stepSeed,
            new BuildContext.BatchSlice(offsets.get(t), globalSize), sync ? lockstep.sum(t, reduce) : null);
        Operand<TInt32> labels = source.gatherLabels(gather, towerRows);
        // augmented (and mixed) after the resize, at the backbone's resolution
        List<Operand<TFloat32>> mixedTargets = new ArrayList<>(1);
        Placeholder<TInt32> partners = augmentation.mix().active() && !sharded ? partnerRows.get(t) : null;
        Operand<TInt32> towerOffset = offsets.get(t);
        Operand<TFloat32> logits = Classifier.fromScaled(ctx, spec, scaled, resized -> {
          Operand<TFloat32> augmented = augmentation.apply(ctx, resized);
          if (!augmentation.mix().active()) {
            return augmented;
          }
          if (sharded) {
            Operand<TInt32> first = tower.constant(new int[] {0});
            BatchMix.Mixed own = augmentation.mix().apply(ctx, augmented, tower.reverse(augmented, first), labels,
                tower.reverse(labels, first), spec.classes());
            mixedTargets.add(own.targets());
            return own.images();
          }
          BatchMix.Mixed mixed = mixWithPartners(tower, gather, params, source, augmentation, ctx, augmented, labels,
              partners, towerOffset, globalSize, stepSeed, spec);
          mixedTargets.add(mixed.targets());
          return mixed.images();
        }).logits();
        Operand<TFloat32> targets = mixedTargets.isEmpty() ? null : mixedTargets.get(0);
        towerLossSums[t] = targets == null ? Losses.sparseCrossEntropySum(tower, logits, labels)
            : Losses.softCrossEntropySum(tower, logits, targets);
        towerCorrects[t] = tower.reduceSum(tower.dtypes.cast(
            tower.math.equal(tower.math.argMax(logits, tower.constant(1), TInt32.class), labels), TInt32.class),
            tower.constant(0));
        towerUpdates.set(t, ctx.updates());
      });
    }
    if (sync) {
      lockstep.run(builds);
    } else {
      builds.forEach(Runnable::run);
    }
    lossSums.addAll(List.of(towerLossSums));
    corrects.addAll(List.of(towerCorrects));
    // tower 0's moving averages (with synchronised statistics they are the global batch's)
    List<Op> updates = towerUpdates.get(0);

    Operand<TFloat32> globalBatch = mean.dtypes.cast(globalSize, TFloat32.class);

    List<Parameter> trainable = params.trainable();
    List<List<Output<?>>> towerGradients = new ArrayList<>();
    List<Operand<TFloat32>> losses = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      DeviceLayout.Device device = layout.tower(k);
      Ops tower = device == null ? train.withSubScope("tower" + k) : device.on(train.withSubScope("tower" + k));
      losses.add(tower.math.div(lossSums.get(k), globalBatch));
    }
    if (sync) {
      // Every tower's loss depends on every tower's activations through the shared moments: one gradient
      // of the summed loss (per-tower gradients would each run back through all towers). TensorFlow's
      // gradient ops carry no device and no name of the op they differentiate, so they are left to the
      // placer.
      towerGradients.add(Optimizer.gradients(graph, "train/sync_bn_gradients", mean.math.addN(losses), trainable));
    } else {
      for (int k = 0; k < n; k++) {
        DeviceLayout.Device device = layout.tower(k);
        String prefix = "train/tower" + k + "_gradients";
        List<Output<?>> gradients = Optimizer.gradients(graph, prefix, losses.get(k), trainable);
        if (device != null) {
          SubgraphPlacement.Copy placed = SubgraphPlacement.copyOnto(graph, name -> name.startsWith(prefix + "/"),
              device.name(), "train/tower" + k + "_placed");
          gradients = gradients.stream().<Output<?>>map(placed::of).toList();
        }
        towerGradients.add(gradients);
      }
    }
    List<Output<?>> summed = new ArrayList<>();
    for (int i = 0; i < trainable.size(); i++) {
      if (towerGradients.size() == 1) {
        summed.add(towerGradients.get(0).get(i));
        continue;
      }
      List<Operand<TFloat32>> parts = new ArrayList<>();
      for (List<Output<?>> g : towerGradients) {
        parts.add(g.get(i).expect(TFloat32.class));
      }
      summed.add(mean.math.addN(parts).asOutput());
    }
    loss = n == 1 ? losses.get(0) : mean.math.addN(losses);
    correct = n == 1 ? corrects.get(0) : mean.math.addN(corrects);
    trainOp = Optimizer.apply(tf, summed, trainable, optimizer, learningRate, updates);
  }

  /**
   * Mixes a tower's rows with their partners, the global batch reversed: the partners of the rows at
   * [offset, offset + size) sit at [B - offset - size, B - offset), fed in that order and augmented with
   * the draws of those positions (a context of their own, whose first draws are the augmentation's, as
   * the tower's are), then reversed; so N towers mix exactly as one device does.
   */
  private static BatchMix.Mixed mixWithPartners(Ops tower, Ops gather, ParameterStore params, ResidentImages source,
      Augmentation augmentation, BuildContext ctx, Operand<TFloat32> augmented, Operand<TInt32> labels,
      Placeholder<TInt32> partners, Operand<TInt32> offset, Operand<TInt32> globalSize, Operand<TInt64> stepSeed,
      ModelSpec spec) {
    Operand<TInt32> partnerOffset = tower.math.sub(tower.math.sub(globalSize, offset), tower.size(partners, TInt32.class));
    // the partners are only augmented here; they pass the model inside the tower's mixed batch
    BuildContext partnerCtx = BuildContext.tower(tower.withSubScope("partners"), params, Mode.TRAIN, stepSeed,
        new BuildContext.BatchSlice(partnerOffset, globalSize), null);
    Operand<TFloat32> scaled = tower.math.mul(
        tower.dtypes.cast(source.gatherPixels(gather, partners), TFloat32.class), tower.constant(1f / 255f));
    Operand<TInt32> first = tower.constant(new int[] {0});
    // resized as the tower's own rows are, before their augmentation
    Operand<TFloat32> resized = spec.resize() == null ? scaled : spec.resize().apply(tower, scaled);
    Operand<TFloat32> partnerImages = tower.reverse(augmentation.apply(partnerCtx, resized), first);
    Operand<TInt32> partnerLabels = tower.reverse(source.gatherLabels(gather, partners), first);
    return augmentation.mix().apply(ctx, augmented, partnerImages, labels, partnerLabels, spec.classes());
  }
}

package dev.vprompt.graph.prompts.baselines;

import dev.vprompt.ops.Decay;
import dev.vprompt.graph.prompts.Contribution;
import dev.vprompt.graph.prompts.AdditiveBlockHook;
import dev.vprompt.graph.prompts.BlockInput;
import dev.vprompt.graph.prompts.LayeredPrompt;
import dev.vprompt.graph.prompts.PromptDepth;
import dev.vprompt.graph.prompts.PromptLayer;
import dev.vprompt.graph.BlockHook;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Init;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Grouped VP, LoTeP's preliminary study (the LoTeP paper §3.1, eq. 3): a deep prompt whose C channels fall
 * into g sequential groups of C/g channels, each group sharing one learnable {@code [H, W]} map, i.e. a
 * {@code [g, H, W]} prompt expanded to C channels; g H W parameters per block.
 *
 * <p>vprompt compares it as a deep-prompt baseline: it goes where LoTeP goes (the inputs of blocks l < d
 * = floor(L rho), see {@link AdditiveBlockHook}), and its maps start at zero so that step 0 is the frozen
 * model. (The paper's experiments instantiate the grouping with LoR-VP factors; the plain {@code [g, H,
 * W]} map is METHODS.md's definition.)
 *
 * @param groups g; it must divide the channels of every prompted block
 */
public record GroupedVp(int groups, double depthRatio) implements LayeredPrompt {

  public static final String NAME = "grouped-vp";
  public static final int DEFAULT_GROUPS = 8;

  public GroupedVp {
    if (groups < 1) {
      throw new IllegalArgumentException("grouped-vp needs at least 1 group, got " + groups);
    }
    new PromptDepth(depthRatio);
  }

  public static GroupedVp defaults() {
    return new GroupedVp(DEFAULT_GROUPS, PromptDepth.DEFAULT_RATIO);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Deep prompts only: the images pass unchanged, the hook adds each block's prompt. */
  @Override
  public Contribution build(BuildContext ctx, Operand<TFloat32> images, Backbone backbone) {
    return Contribution.of(images, blockHook(ctx, backbone));
  }

  private PromptDepth depth() {
    return new PromptDepth(depthRatio);
  }

  @Override
  public void validate(InputSpec input, Backbone backbone) {
    for (BlockInput site : depth().sites(NAME, input, backbone)) {
      requireDivides(site);
    }
  }

  private void requireDivides(BlockInput site) {
    if (site.channels() % groups != 0) {
      throw new IllegalArgumentException("grouped-vp: " + groups + " groups do not divide the "
          + site.channels() + " channels of " + site + "; choose --groups dividing every prompted block's channels");
    }
  }

  public BlockHook blockHook(BuildContext ctx, Backbone backbone) {
    return new AdditiveBlockHook(ctx.child(NAME), backbone, depth().blocksOf(NAME, backbone), this::dense);
  }

  /** eq. 3: channel c takes group c / (C/g)'s map. */
  private Operand<TFloat32> dense(BuildContext ctx, BlockInput site) {
    requireDivides(site);
    Ops tf = ctx.tf();
    int perGroup = site.channels() / groups;
    Operand<TFloat32> maps =
        ctx.weight("maps", Shape.of(groups, site.height(), site.width()), Init.zeros(), Decay.NOT_DECAYED).variable();
    Operand<TFloat32> hwg = tf.linalg.transpose(maps, tf.constant(new int[] {1, 2, 0}));
    Operand<TFloat32> repeated = tf.tile(
        tf.reshape(hwg, tf.constant(new long[] {site.height(), site.width(), groups, 1})),
        tf.constant(new int[] {1, 1, 1, perGroup}));
    return tf.reshape(repeated, tf.constant(new long[] {site.height(), site.width(), site.channels()}));
  }

  @Override
  public List<PromptLayer> layers(InputSpec input, Backbone backbone) {
    List<PromptLayer> layers = new ArrayList<>();
    for (BlockInput site : depth().sites(NAME, input, backbone)) {
      requireDivides(site);
      layers.add(new PromptLayer(site.block(), site.channels(), site.height(), site.width(), PromptLayer.NO_RANK,
          (long) groups * site.height() * site.width()));
    }
    return layers;
  }
}

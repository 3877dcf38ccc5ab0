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
 * <p>{@code grouped-lor-vp} is the variant the paper's experiments run, "Grouped LoR-VP": each group's
 * map is a LoR-VP low-rank product {@code B [H, r] A [r, W]} ({@link LowRankMaps}: B zero, A ~ N(0,
 * 0.01)), g r (H + W) parameters per block.
 *
 * <p>vprompt compares both as deep-prompt baselines: they go where LoTeP goes (the inputs of blocks l <
 * d = floor(L rho), see {@link AdditiveBlockHook}), and start at zero so that step 0 is the frozen model.
 *
 * @param groups g, which must divide the channels of every prompted block; {@link #AUTO_GROUPS} (the
 *     default) takes, per block, the largest divisor of its channels up to {@link #MAX_AUTO_GROUPS}, so it
 *     works on every backbone (a grey or RGB image block gets 1 or 3 groups)
 * @param lorRank 0 for plain maps ({@code grouped-vp}), r for Grouped LoR-VP ({@code grouped-lor-vp})
 */
public record GroupedVp(int groups, double depthRatio, int lorRank) implements LayeredPrompt {

  public static final String NAME = "grouped-vp";
  public static final String LOR_NAME = "grouped-lor-vp";
  /** Per block, the largest divisor of its channels up to {@link #MAX_AUTO_GROUPS}. */
  public static final int AUTO_GROUPS = 0;
  public static final int MAX_AUTO_GROUPS = 8;
  public static final int DEFAULT_GROUPS = AUTO_GROUPS;

  public GroupedVp {
    if (groups < 0) {
      throw new IllegalArgumentException("grouped-vp needs at least 1 group (0: auto), got " + groups);
    }
    if (lorRank < 0) {
      throw new IllegalArgumentException("grouped-lor-vp's rank must be at least 1, got " + lorRank);
    }
    new PromptDepth(depthRatio);
  }

  public GroupedVp(int groups, double depthRatio) {
    this(groups, depthRatio, 0);
  }

  public static GroupedVp defaults() {
    return new GroupedVp(DEFAULT_GROUPS, PromptDepth.DEFAULT_RATIO);
  }

  public static GroupedVp lorDefaults() {
    return new GroupedVp(DEFAULT_GROUPS, PromptDepth.DEFAULT_RATIO, LorVp.DEFAULT_RANK);
  }

  @Override
  public String name() {
    return lorRank == 0 ? NAME : LOR_NAME;
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
    for (BlockInput site : depth().sites(name(), input, backbone)) {
      groupsAt(site);
    }
  }

  /** g at this block: the given groups, which must divide its channels, or the automatic choice. */
  int groupsAt(BlockInput site) {
    int channels = site.channels();
    if (groups == AUTO_GROUPS) {
      for (int g = Math.min(MAX_AUTO_GROUPS, channels); g >= 1; g--) {
        if (channels % g == 0) {
          return g;
        }
      }
    }
    if (channels % groups != 0) {
      List<Integer> divisors = new ArrayList<>();
      for (int g = 1; g <= Math.min(channels, 64); g++) {
        if (channels % g == 0) {
          divisors.add(g);
        }
      }
      throw new IllegalArgumentException(name() + ": " + groups + " groups do not divide the " + channels
          + " channels of " + site + "; --groups that would work there: " + divisors
          + (channels > 64 ? " (and larger divisors)" : "") + ", or 0 (auto: the largest divisor up to "
          + MAX_AUTO_GROUPS + " per block)");
    }
    return groups;
  }

  public BlockHook blockHook(BuildContext ctx, Backbone backbone) {
    return new AdditiveBlockHook(ctx.child(name()), backbone, depth().blocksOf(name(), backbone), this::dense);
  }

  /** eq. 3: channel c takes group c / (C/g)'s map. */
  private Operand<TFloat32> dense(BuildContext ctx, BlockInput site) {
    int g = groupsAt(site);
    Ops tf = ctx.tf();
    int perGroup = site.channels() / g;
    Operand<TFloat32> hwg;
    if (lorRank == 0) {
      Operand<TFloat32> maps =
          ctx.weight("maps", Shape.of(g, site.height(), site.width()), Init.zeros(), Decay.NOT_DECAYED).variable();
      hwg = tf.linalg.transpose(maps, tf.constant(new int[] {1, 2, 0}));
    } else {
      hwg = LowRankMaps.dense(ctx, g, site.height(), site.width(), lorRank);
    }
    Operand<TFloat32> repeated = tf.tile(
        tf.reshape(hwg, tf.constant(new long[] {site.height(), site.width(), g, 1})),
        tf.constant(new int[] {1, 1, 1, perGroup}));
    return tf.reshape(repeated, tf.constant(new long[] {site.height(), site.width(), site.channels()}));
  }

  @Override
  public List<PromptLayer> layers(InputSpec input, Backbone backbone) {
    List<PromptLayer> layers = new ArrayList<>();
    for (BlockInput site : depth().sites(name(), input, backbone)) {
      int g = groupsAt(site);
      long count = lorRank == 0 ? (long) g * site.height() * site.width()
          : LowRankMaps.parameterCount(g, site.height(), site.width(), lorRank);
      layers.add(new PromptLayer(site.block(), site.channels(), site.height(), site.width(),
          lorRank == 0 ? PromptLayer.NO_RANK : lorRank, count));
    }
    return layers;
  }
}

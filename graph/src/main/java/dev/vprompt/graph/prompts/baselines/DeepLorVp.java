package dev.vprompt.graph.prompts.baselines;

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
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Deep LoR-VP, the naive deep baseline of the LoTeP paper (Fig. 1, §3.2 "g = C", §4.1): a LoR-VP prompt per
 * channel map ({@link LowRankMaps}: {@code B [H, r] A [r, W]} per channel, B zero) added to the inputs of
 * the same blocks as LoTeP (l < d = floor(L rho), {@link AdditiveBlockHook}); {@code C r (H + W)}
 * parameters per block. The rank is LoR-VP's, the same at every block (vprompt's reading: the paper
 * applies LoR-VP unchanged to the deep maps).
 */
public record DeepLorVp(int rank, double depthRatio) implements LayeredPrompt {

  public static final String NAME = "deep-lor-vp";

  public DeepLorVp {
    if (rank < 1) {
      throw new IllegalArgumentException("deep-lor-vp's rank must be at least 1, got " + rank);
    }
    new PromptDepth(depthRatio);
  }

  public static DeepLorVp defaults() {
    return new DeepLorVp(LorVp.DEFAULT_RANK, PromptDepth.DEFAULT_RATIO);
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
    depth().blocksOf(NAME, backbone);
  }

  public BlockHook blockHook(BuildContext ctx, Backbone backbone) {
    return new AdditiveBlockHook(ctx.child(NAME), backbone, depth().blocksOf(NAME, backbone),
        (layer, site) -> LowRankMaps.dense(layer, site.channels(), site.height(), site.width(), rank));
  }

  @Override
  public List<PromptLayer> layers(InputSpec input, Backbone backbone) {
    List<PromptLayer> layers = new ArrayList<>();
    for (BlockInput site : depth().sites(NAME, input, backbone)) {
      layers.add(new PromptLayer(site.block(), site.channels(), site.height(), site.width(), rank,
          LowRankMaps.parameterCount(site.channels(), site.height(), site.width(), rank)));
    }
    return layers;
  }
}

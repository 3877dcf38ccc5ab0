package dev.vprompt.graph.prompts.lotep;

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
 * LoTeP, low-rank tensor deep prompts (Zhao et al., "Going Deep: Deep Visual Prompting with LoTeP", §4): a prompt {@code P_l [C_l, H_l, W_l]} added to the
 * input of each block l < d = floor(L rho) (eq. 1), of CP rank r_l ({@code lotep-cp}, eqs. 6-7, {@link
 * CpTensor}) or Tucker rank [r_l, r_l, r_l] ({@code lotep-tk}, eqs. 4-5, {@link TuckerTensor}), with r_l
 * from the rank schedule (eq. 8 by default). The channel factor starts at zero, so at step 0 the prompted
 * model computes exactly the frozen model.
 *
 * <p>Placement (vprompt's reading of the paper): ResNet, the input of every residual block; ViT, the
 * patch tokens as {@code [d, grid, grid]} at the input of every transformer block, class token untouched;
 * the MSVP CNN, the input of each of its four stages (stage 1's input is the normalised image).
 *
 * @param rank0 r0, 6 in every experiment of the paper
 * @param depthRatio rho, see {@link PromptDepth}
 * @param initStd std of the normal initialisation of the random (spatial and core) factors: the paper
 *     says only "randomly initialized"; vprompt's default is 0.02
 */
public record Lotep(Variant variant, int rank0, double depthRatio, RankSchedule schedule, float initStd)
    implements LayeredPrompt {

  public static final String CP_NAME = "lotep-cp";
  public static final String TK_NAME = "lotep-tk";
  public static final int DEFAULT_RANK0 = 6;
  public static final float DEFAULT_INIT_STD = 0.02f;

  /** The two tensor formats. */
  public enum Variant {
    CP(CP_NAME), TUCKER(TK_NAME);

    private final String promptName;

    Variant(String promptName) {
      this.promptName = promptName;
    }

    public String promptName() {
      return promptName;
    }
  }

  public Lotep {
    if (variant == null || schedule == null) {
      throw new IllegalArgumentException("LoTeP needs a variant and a rank schedule");
    }
    if (rank0 < 1) {
      throw new IllegalArgumentException("LoTeP's initial rank r0 must be at least 1, got " + rank0);
    }
    new PromptDepth(depthRatio);
    if (!(initStd >= 0f) || Float.isInfinite(initStd)) {
      throw new IllegalArgumentException("LoTeP's init std must be finite and >= 0, got " + initStd);
    }
  }

  public static Lotep defaults(Variant variant) {
    return new Lotep(variant, DEFAULT_RANK0, PromptDepth.DEFAULT_RATIO, RankSchedule.COSINE, DEFAULT_INIT_STD);
  }

  @Override
  public String name() {
    return variant.promptName();
  }

  /** Deep prompts only: the images pass unchanged, the hook adds each block's prompt. */
  @Override
  public Contribution build(BuildContext ctx, Operand<TFloat32> images, Backbone backbone) {
    return Contribution.of(images, blockHook(ctx, backbone));
  }

  public PromptDepth depth() {
    return new PromptDepth(depthRatio);
  }

  /** r_l for the prompted blocks l = 0..d-1 of this backbone. */
  public int[] ranks(Backbone backbone) {
    return schedule.ranks(rank0, prompted(backbone));
  }

  private int prompted(Backbone backbone) {
    return depth().blocksOf(name(), backbone);
  }

  @Override
  public void validate(InputSpec input, Backbone backbone) {
    prompted(backbone);
  }

  public BlockHook blockHook(BuildContext ctx, Backbone backbone) {
    int[] ranks = ranks(backbone);
    return new AdditiveBlockHook(ctx.child(name()), backbone, ranks.length, (layer, site) ->
        variant == Variant.CP
            ? CpTensor.dense(layer, site, ranks[site.block()], initStd)
            : TuckerTensor.dense(layer, site, ranks[site.block()], initStd));
  }

  @Override
  public List<PromptLayer> layers(InputSpec input, Backbone backbone) {
    int[] ranks = ranks(backbone);
    List<PromptLayer> layers = new ArrayList<>();
    for (BlockInput site : depth().sites(name(), input, backbone)) {
      int rank = ranks[site.block()];
      long count = variant == Variant.CP ? CpTensor.parameterCount(site, rank) : TuckerTensor.parameterCount(site, rank);
      layers.add(new PromptLayer(site.block(), site.channels(), site.height(), site.width(), rank, count));
    }
    return layers;
  }
}

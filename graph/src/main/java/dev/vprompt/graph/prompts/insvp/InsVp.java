package dev.vprompt.graph.prompts.insvp;

import dev.vprompt.ops.Decay;
import dev.vprompt.graph.InvalidOptionException;
import dev.vprompt.graph.prompts.Contribution;
import dev.vprompt.graph.BlockHook;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.graph.backbones.PatchTokens;
import dev.vprompt.graph.backbones.VisionTransformer;
import dev.vprompt.graph.prompts.Prompt;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Init;
import dev.vprompt.ops.Shapes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Instance visual prompting (the InsVP paper, "Instance Visual Prompting"): prompts computed from each image.
 *
 * <ul>
 *   <li>Image level (§3.2, eq. 4-7), before any backbone: {@code x + p_I}, {@code p_I = b_I p_g + (1 - b_I)
 *       p_l} from the {@link GlobalPrompter} and the {@link PatchPrompter}; one of them alone is used as
 *       is. The reference code's {@code p_l + 2 p_g} without dilation is not the default.
 *   <li>Feature level (§3.3, eq. 8-11), vit-tiny only: per prompted block a common prompt {@code p_c_j
 *       [L_p, d]} and the {@link SpecificPrompter}'s {@code p_s}, inserted after the class token and
 *       dropped after the block ({@link FeaturePromptHook}). The specific prompter reads the normalised
 *       image x (eq. 9; the reference feeds it the image-prompted one) and, unlike in the reference code,
 *       is trained.
 * </ul>
 *
 * <p>Variables under {@code prompt.insvp.}: {@code global.conv1..2.*}, {@code patch.fc1..2.*}, {@code
 * common.block1..N}, {@code specific.conv1..3.*}, {@code specific.fc.*}.
 *
 * @param parts the prompts in use (Table 5's ablation), at least one
 * @param imageWeight b_I in [0, 1], the global prompt's share of p_I
 * @param featureWeight b_F in [0, 1], the common prompt's share of p_F
 * @param promptLength L_p, feature prompt tokens per block
 * @param promptedBlocks the first N transformer blocks get feature prompts; null for all
 * @param globalHidden channels between the global prompter's convolutions
 * @param patchHidden units between the patch prompter's fully connected layers
 * @param specificChannels channels of the specific prompter's convolutions
 * @param patchSize the patch prompter's patch; null for the ViT's patch, or for other backbones the ViT's
 *     rule (7 for 28x28, 4 for 32x32)
 * @param dilation of the global prompter's 3x3 convolutions
 * @param dropout rate between the global prompter's convolutions
 */
public record InsVp(
    Set<Part> parts, float imageWeight, float featureWeight, int promptLength, Integer promptedBlocks,
    int globalHidden, int patchHidden, int specificChannels, Integer patchSize, int dilation, float dropout)
    implements Prompt {

  public static final String NAME = "insvp";
  public static final float DEFAULT_IMAGE_WEIGHT = 0.7f;
  public static final float DEFAULT_FEATURE_WEIGHT = 0.5f;
  public static final int DEFAULT_PROMPT_LENGTH = 9;
  /** The reference code's {@code hid_dim_2} default. */
  public static final int DEFAULT_GLOBAL_HIDDEN = 6;
  /** The reference scripts' {@code hid_dim}. */
  public static final int DEFAULT_PATCH_HIDDEN = 16;
  public static final int DEFAULT_SPECIFIC_CHANNELS = 32;
  public static final int DEFAULT_DILATION = 2;
  /** The reference code's dropout on the image prompts. */
  public static final float DEFAULT_DROPOUT = 0.1f;

  /**
   * The image prompters' last layers start as N(0, 0.001) with zero bias, so p_I starts near zero and a
   * frozen backbone first sees (almost) the clean image. Not exactly zero: a zero last layer would give
   * the first layer a zero gradient in the first step.
   */
  static final Init LAST_LAYER_INIT = Init.normal(1e-3f);

  public InsVp {
    if (parts == null || parts.isEmpty()) {
      throw new IllegalArgumentException("InsVP needs at least one part: patch, global, common or specific");
    }
    parts = Collections.unmodifiableSet(EnumSet.copyOf(parts));
    requireUnit(imageWeight, "--insvp-bi (b_I)");
    requireUnit(featureWeight, "--insvp-bf (b_F)");
    Shapes.requirePositive(promptLength, "InsVP prompt length --insvp-lp");
    if (promptedBlocks != null) {
      Shapes.requirePositive(promptedBlocks, "InsVP prompted blocks --insvp-blocks");
    }
    if (patchSize != null) {
      Shapes.requirePositive(patchSize, "InsVP patch size --insvp-patch-size");
    }
    Shapes.requirePositive(globalHidden, "InsVP global prompter width --insvp-global-hidden");
    Shapes.requirePositive(patchHidden, "InsVP patch prompter width --insvp-patch-hidden");
    Shapes.requirePositive(specificChannels, "InsVP specific prompter width --insvp-specific-channels");
    Shapes.requirePositive(dilation, "InsVP dilation --insvp-dilation");
    if (!(dropout >= 0f && dropout < 1f)) {
      throw new InvalidOptionException("insvp-dropout", "InsVP --insvp-dropout must be in [0, 1), got " + dropout);
    }
  }

  /** Every part, the paper's settings and the defaults above. */
  public static InsVp defaults() {
    return of(Level.BOTH.parts());
  }

  /** The given parts with the defaults. */
  public static InsVp of(Set<Part> parts) {
    return new InsVp(parts, DEFAULT_IMAGE_WEIGHT, DEFAULT_FEATURE_WEIGHT, DEFAULT_PROMPT_LENGTH, null,
        DEFAULT_GLOBAL_HIDDEN, DEFAULT_PATCH_HIDDEN, DEFAULT_SPECIFIC_CHANNELS, null, DEFAULT_DILATION,
        DEFAULT_DROPOUT);
  }

  private static void requireUnit(float value, String what) {
    if (!(value >= 0f && value <= 1f)) {
      throw new IllegalArgumentException("InsVP " + what + " must be in [0, 1], got " + value);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  public boolean has(Part part) {
    return parts.contains(part);
  }

  public boolean featureLevel() {
    return has(Part.COMMON) || has(Part.SPECIFIC);
  }

  @Override
  public void validate(InputSpec input, Backbone backbone) {
    if (has(Part.PATCH)) {
      new PatchPrompter(patchFor(input, backbone), patchHidden).requireDivides(input.height(), input.width());
    }
    if (featureLevel() && backbone != null) {
      PatchTokens vit = requireVit(backbone);
      if (promptedBlocks != null && promptedBlocks > vit.blockCount()) {
        throw new InvalidOptionException("insvp-blocks", "InsVP --insvp-blocks " + promptedBlocks + " exceeds the "
            + vit.blockCount() + " blocks of " + vit.name());
      }
    }
  }

  private PatchTokens requireVit(Backbone backbone) {
    if (backbone instanceof PatchTokens vit) {
      return vit;
    }
    throw new IllegalArgumentException("feature-level InsVP prompts (" + Part.labels(featureParts())
        + ") need vit-tiny, not " + backbone.name() + "; use --insvp-level image");
  }

  private Set<Part> featureParts() {
    Set<Part> feature = EnumSet.copyOf(parts);
    feature.retainAll(Level.FEATURE.parts());
    return feature;
  }

  /** The patch prompter's patch: the option, else the ViT's patch, else the ViT's rule for the input. */
  public int patchFor(InputSpec input, Backbone backbone) {
    if (patchSize != null) {
      return patchSize;
    }
    if (backbone instanceof PatchTokens vit) {
      return vit.patch();
    }
    try {
      return VisionTransformer.defaultPatch(input);
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException("insvp-patch-size",
          "no InsVP patch size divides " + input + " into at most 64 patches: give one with --insvp-patch-size");
    }
  }

  /** The image-level prompt, and the feature prompts (computed from the image) around a ViT's blocks. */
  @Override
  public Contribution build(BuildContext ctx, Operand<TFloat32> images, Backbone backbone) {
    InputSpec input = inputOf(images);
    validate(input, backbone);
    BuildContext insvp = ctx.child(NAME);
    Operand<TFloat32> prompted = imagePrompted(insvp, images, patchFor(input, backbone));
    BlockHook hook = featureLevel() ? featureHook(insvp, images, requireVit(backbone)) : BlockHook.NONE;
    return Contribution.of(prompted, hook);
  }

  /** The image-level prompt alone; feature prompts need the backbone, see {@link #build}. */
  public Operand<TFloat32> apply(BuildContext ctx, Operand<TFloat32> images) {
    if (featureLevel()) {
      throw new IllegalStateException("InsVP's feature prompts need the backbone: build it with build");
    }
    InputSpec input = inputOf(images);
    validate(input, null);
    return imagePrompted(ctx.child(NAME), images, patchFor(input, null));
  }

  private static InputSpec inputOf(Operand<TFloat32> images) {
    Shapes.requireRank(images, 4, "InsVP");
    return new InputSpec(Shapes.staticDim(images, 1, "InsVP"), Shapes.staticDim(images, 2, "InsVP"),
        Shapes.staticDim(images, 3, "InsVP"));
  }

  /** {@code x + p_I}, or x unchanged without image-level parts. */
  private Operand<TFloat32> imagePrompted(BuildContext ctx, Operand<TFloat32> images, int patch) {
    Ops tf = ctx.tf();
    Operand<TFloat32> global = has(Part.GLOBAL)
        ? new GlobalPrompter(globalHidden, dilation, dropout).apply(ctx.child("global"), images) : null;
    Operand<TFloat32> local = has(Part.PATCH)
        ? new PatchPrompter(patch, patchHidden).apply(ctx.child("patch"), images) : null;
    Operand<TFloat32> prompt;
    if (global != null && local != null) {
      prompt = tf.math.add(tf.math.mul(global, tf.constant(imageWeight)),
          tf.math.mul(local, tf.constant(1f - imageWeight)));
    } else {
      prompt = global != null ? global : local;
    }
    return prompt == null ? images : tf.math.add(images, prompt);
  }

  private BlockHook featureHook(BuildContext ctx, Operand<TFloat32> images, PatchTokens vit) {
    int blocks = promptedBlocks != null ? promptedBlocks : vit.blockCount();
    int dim = vit.featureWidth();
    List<Operand<TFloat32>> common = new ArrayList<>();
    if (has(Part.COMMON)) {
      Init init = commonInit(vit, Shapes.staticDim(images, 3, "InsVP"));
      BuildContext commonCtx = ctx.child("common");
      for (int j = 0; j < blocks; j++) {
        common.add(commonCtx.weight("block" + (j + 1), Shape.of(promptLength, dim), init, Decay.NOT_DECAYED).variable());
      }
    }
    Operand<TFloat32> specific = has(Part.SPECIFIC)
        ? new SpecificPrompter(specificChannels, promptLength, dim).apply(ctx.child("specific"), images) : null;
    return new FeaturePromptHook(ctx.child("feature").tf(), common, specific, featureWeight, promptLength, blocks, dim);
  }

  /**
   * VPT's prompt initialisation, U(-a, a) with {@code a = sqrt(6 / (C p^2 + d))} from the patch embedding's
   * fan-in and the width (the InsVP reference uses U(-1, 1), large next to ViT-Tiny's 0.02-scale tokens).
   */
  private static Init commonInit(PatchTokens vit, int channels) {
    float a = (float) Math.sqrt(6.0 / (channels * vit.patch() * vit.patch() + vit.featureWidth()));
    return Init.uniform(-a, a);
  }

  /** Extra parameters on this input and backbone, in closed form (tests pin them to the built graph). */
  public long parameterCount(InputSpec input, Backbone backbone) {
    int c = input.channels();
    long count = 0;
    if (has(Part.GLOBAL)) {
      count += GlobalPrompter.parameterCount(c, globalHidden);
    }
    if (has(Part.PATCH)) {
      count += PatchPrompter.parameterCount(patchFor(input, backbone), c, patchHidden);
    }
    if (featureLevel()) {
      PatchTokens vit = requireVit(backbone);
      int blocks = promptedBlocks != null ? promptedBlocks : vit.blockCount();
      if (has(Part.COMMON)) {
        count += (long) blocks * promptLength * vit.featureWidth();
      }
      if (has(Part.SPECIFIC)) {
        count += SpecificPrompter.parameterCount(c, specificChannels, promptLength, vit.featureWidth());
      }
    }
    return count;
  }
}

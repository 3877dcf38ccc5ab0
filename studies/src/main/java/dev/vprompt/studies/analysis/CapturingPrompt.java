package dev.vprompt.studies.analysis;

import dev.vprompt.graph.BlockHook;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.graph.prompts.Prompt;
import dev.vprompt.ops.BuildContext;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A run's prompt, unchanged, whose block hook also records the activations Grad-CAM explains, without
 * touching the backbones' code: the output of the last block (convolutional backbones), or its input
 * (the ViT, whose last block's patch outputs never reach the class token; its inputs do, through the
 * last attention). Deep prompts' extra tokens are not in what is recorded: the output is taken after
 * the prompt's own hook has dropped them, the input before its hook inserts them.
 */
final class CapturingPrompt implements Prompt {

  private final Prompt prompt;
  private final boolean inputOfLastBlock;
  private Operand<TFloat32> captured;

  CapturingPrompt(Prompt prompt, boolean inputOfLastBlock) {
    this.prompt = prompt;
    this.inputOfLastBlock = inputOfLastBlock;
  }

  /** The recorded activations of the model built with this prompt. */
  Operand<TFloat32> captured() {
    if (captured == null) {
      throw new IllegalStateException("the model has not been built yet");
    }
    return captured;
  }

  @Override
  public String name() {
    return prompt.name();
  }

  @Override
  public void validate(InputSpec input, Backbone backbone) {
    prompt.validate(input, backbone);
  }

  @Override
  public Operand<TFloat32> apply(BuildContext ctx, Operand<TFloat32> images) {
    return prompt.apply(ctx, images);
  }

  @Override
  public boolean additiveConstant() {
    return prompt.additiveConstant();
  }

  @Override
  public BlockHook blockHook(BuildContext ctx, Backbone backbone) {
    BlockHook inner = prompt.blockHook(ctx, backbone);
    int last = backbone.blockCount() - 1;
    return new BlockHook() {
      @Override
      public Operand<TFloat32> beforeBlock(int block, Operand<TFloat32> x) {
        if (block == last && inputOfLastBlock) {
          captured = x;
        }
        return inner.beforeBlock(block, x);
      }

      @Override
      public Operand<TFloat32> afterBlock(int block, Operand<TFloat32> x) {
        Operand<TFloat32> out = inner.afterBlock(block, x);
        if (block == last && !inputOfLastBlock) {
          captured = out;
        }
        return out;
      }
    };
  }
}

package dev.vprompt.graph.backbones;

/**
 * A transformer backbone whose blocks see {@code [B, 1 + N, d]} tokens: a class token, then the N patch
 * tokens of a {@code gridHeight x gridWidth} grid in row-major order. Deep and feature-level prompts read
 * and write the patch tokens through this view, whichever ViT it is.
 */
public interface PatchTokens extends Backbone {

  /** Side of a square patch, in pixels. */
  int patch();

  int gridHeight();

  int gridWidth();

  default int patches() {
    return gridHeight() * gridWidth();
  }
}

package dev.vprompt.graph.backbones;

import dev.vprompt.graph.InputSpec;
import java.util.List;

/**
 * A backbone family's descriptor: its variants' registry names and how to build one for an input
 * (which checks the input constraints, e.g. the cnn's three max-pools need at least 8x8). Register it
 * in {@link Backbones#FAMILIES}.
 */
public interface BackboneFamily {

  /** The registry names of its variants, e.g. {@code resnet18, resnet34}. */
  List<String> names();

  /** Whether it takes {@code --patch-size} (a ViT's patch). */
  default boolean takesPatchSize() {
    return false;
  }

  /**
   * The square input side the family's variants were pretrained at (224 for timm's ImageNet checkpoints), to
   * which a run resizes each batch in the graph by default; null for a family trained here at the data's size.
   */
  default Integer nativeSize() {
    return null;
  }

  /**
   * The named variant for this input; fails on an input it cannot take.
   *
   * @param patchSize the patch size, or null for the family's rule; only given when {@link #takesPatchSize}
   */
  Backbone create(String name, InputSpec input, Integer patchSize);

  /** A family from its names and a builder that ignores the patch size. */
  static BackboneFamily of(List<String> names, java.util.function.BiFunction<String, InputSpec, Backbone> create) {
    return of(names, create, null);
  }

  /** The same, pretrained at {@code nativeSize} (see {@link #nativeSize}). */
  static BackboneFamily of(
      List<String> names, java.util.function.BiFunction<String, InputSpec, Backbone> create, Integer nativeSize) {
    return new BackboneFamily() {
      @Override
      public Integer nativeSize() {
        return nativeSize;
      }

      @Override
      public List<String> names() {
        return names;
      }

      @Override
      public Backbone create(String name, InputSpec input, Integer patchSize) {
        return create.apply(name, input);
      }
    };
  }
}

package dev.vprompt.graph.backbones;

import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.InvalidOptionException;
import java.util.List;

/** The backbone registry: the families, and their variants by name, failing on an unknown name with the list of known ones. */
public final class Backbones {

  /** Every backbone family, in the order their names are listed; adding a family is one line here. */
  public static final List<BackboneFamily> FAMILIES = List.of(
      Cnn.FAMILY,
      ResNet.FAMILY,
      VisionTransformer.FAMILY);

  public static final List<String> NAMES = FAMILIES.stream().flatMap(f -> f.names().stream()).toList();

  private Backbones() {}

  /** The family of the named backbone. */
  public static BackboneFamily family(String name) {
    for (BackboneFamily family : FAMILIES) {
      if (family.names().contains(name)) {
        return family;
      }
    }
    throw new InvalidOptionException("backbone",
        "unknown backbone '" + name + "'; known: " + String.join(", ", NAMES));
  }

  /**
   * @param patchSize ViT patch size, or null for the paper's choice; rejected for other backbones
   */
  public static Backbone create(String name, InputSpec input, Integer patchSize) {
    BackboneFamily family = family(name == null ? "" : name);
    if (patchSize != null && !family.takesPatchSize()) {
      throw new InvalidOptionException("patch-size", "--patch-size applies to vit-tiny only, not to " + name);
    }
    return family.create(name, input, patchSize);
  }
}

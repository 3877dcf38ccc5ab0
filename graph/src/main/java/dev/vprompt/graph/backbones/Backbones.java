package dev.vprompt.graph.backbones;

import dev.vprompt.graph.InputSpec;
import java.util.ArrayList;
import java.util.List;

/** The backbone registry: names to builders, failing on an unknown name with the list of known ones. */
public final class Backbones {

  public static final List<String> NAMES = names();

  private Backbones() {}

  private static List<String> names() {
    List<String> names = new ArrayList<>(List.of(Cnn.NAME, "resnet18", "resnet34", VisionTransformer.TINY));
    names.addAll(SwinTransformer.VARIANTS);
    names.addAll(ConvNeXt.VARIANTS);
    return List.copyOf(names);
  }

  /**
   * @param patchSize ViT patch size, or null for the paper's choice; rejected for other backbones
   */
  public static Backbone create(String name, InputSpec input, Integer patchSize) {
    if (patchSize != null && !VisionTransformer.TINY.equals(name)) {
      throw new IllegalArgumentException("--patch-size applies to vit-tiny only, not to " + name);
    }
    String known = name == null ? "" : name;
    if (SwinTransformer.VARIANTS.contains(known)) {
      return SwinTransformer.named(known, input);
    }
    if (ConvNeXt.VARIANTS.contains(known)) {
      return ConvNeXt.named(known, input);
    }
    return switch (known) {
      case Cnn.NAME -> Cnn.standard(input);
      case "resnet18" -> ResNet.resnet18();
      case "resnet34" -> ResNet.resnet34();
      case VisionTransformer.TINY -> VisionTransformer.tiny(input, patchSize);
      default -> throw new IllegalArgumentException(
          "unknown backbone '" + name + "'; known: " + String.join(", ", NAMES));
    };
  }
}

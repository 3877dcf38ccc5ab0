package dev.vprompt.graph.backbones;

import dev.vprompt.graph.InputSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The backbone registry: names to builders, failing on an unknown name with the list of known ones. Besides
 * the names, a configured family is accepted as {@code family(key=value,...)} ({@link BackboneSpec}):
 * {@code vit(patch=,dim=,depth=,heads=[,mlp=])}, {@code resnet(block=basic|bottleneck,layers=a-b-c-d[,channels=])},
 * {@code swin(patch=,window=,dim=,depths=a-b..,heads=a-b..[,mlp=,drop_path=])} and
 * {@code convnext(depths=a-b-c-d,dims=a-b-c-d[,patch=,kernel=,ls=,drop_path=])}.
 */
public final class Backbones {

  public static final List<String> NAMES;

  static {
    List<String> names = new ArrayList<>(List.of(Cnn.NAME, "resnet18", "resnet34", VisionTransformer.TINY));
    names.addAll(TimmVit.VARIANTS);
    names.addAll(ImageNetResNet.VARIANTS);
    names.addAll(SwinTransformer.VARIANTS);
    names.addAll(ConvNeXt.VARIANTS);
    NAMES = Collections.unmodifiableList(names);
  }

  /** The configurable families, as {@code family(...)}. */
  public static final List<String> FAMILIES = List.of(TimmVit.FAMILY, ImageNetResNet.FAMILY,
      SwinTransformer.FAMILY, ConvNeXt.FAMILY);

  private Backbones() {}

  /**
   * @param patchSize ViT patch size, or null for the paper's choice; rejected for other backbones
   */
  public static Backbone create(String name, InputSpec input, Integer patchSize) {
    if (patchSize != null && !VisionTransformer.TINY.equals(name)) {
      throw new IllegalArgumentException("--patch-size applies to vit-tiny only, not to " + name);
    }
    String key = name == null ? "" : name;
    if (TimmVit.VARIANTS.contains(key)) {
      return TimmVit.variant(key, input);
    }
    if (ImageNetResNet.VARIANTS.contains(key)) {
      return ImageNetResNet.variant(key);
    }
    if (SwinTransformer.VARIANTS.contains(key)) {
      return SwinTransformer.named(key, input);
    }
    if (ConvNeXt.VARIANTS.contains(key)) {
      return ConvNeXt.named(key, input);
    }
    BackboneSpec spec = BackboneSpec.parse(key);
    if (spec != null) {
      return switch (spec.family()) {
        case TimmVit.FAMILY -> TimmVit.of(spec, input);
        case ImageNetResNet.FAMILY -> ImageNetResNet.of(spec);
        case SwinTransformer.FAMILY -> SwinTransformer.of(spec, input);
        case ConvNeXt.FAMILY -> ConvNeXt.of(spec, input);
        default -> throw new IllegalArgumentException("unknown backbone family '" + spec.family() + "' in '" + name
            + "'; known families: " + String.join(", ", FAMILIES));
      };
    }
    return switch (key) {
      case Cnn.NAME -> Cnn.standard(input);
      case "resnet18" -> ResNet.resnet18();
      case "resnet34" -> ResNet.resnet34();
      case VisionTransformer.TINY -> VisionTransformer.tiny(input, patchSize);
      default -> throw new IllegalArgumentException(
          "unknown backbone '" + name + "'; known: " + String.join(", ", NAMES) + ", or "
              + String.join("(...), ", FAMILIES) + "(...)");
    };
  }

  /**
   * The name as config.json records it: a registered name as it is, a family spec in its canonical form (keys
   * in order, defaults left out), so that two spellings of one architecture compare equal. Fails with the
   * known names when {@code name} is neither.
   */
  public static String requireKnown(String name) {
    if (NAMES.contains(name)) {
      return name;
    }
    BackboneSpec spec = name == null ? null : BackboneSpec.parse(name);
    if (spec == null || !FAMILIES.contains(spec.family())) {
      throw new IllegalArgumentException("unknown backbone '" + name + "'; known: " + String.join(", ", NAMES)
          + ", or " + String.join("(...), ", FAMILIES) + "(...)");
    }
    return switch (spec.family()) {
      case TimmVit.FAMILY -> TimmVit.canonical(spec);
      case SwinTransformer.FAMILY -> SwinTransformer.canonical(spec);
      case ConvNeXt.FAMILY -> ConvNeXt.canonical(spec);
      default -> ImageNetResNet.of(spec).name();
    };
  }
}

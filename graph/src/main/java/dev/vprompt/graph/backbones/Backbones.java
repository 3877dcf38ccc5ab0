package dev.vprompt.graph.backbones;

import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.InvalidOptionException;
import java.util.List;

/**
 * The backbone registry: the families, and their variants by name, failing on an unknown name with the list
 * of known ones. Besides the names, a configured family is accepted as {@code family(key=value,...)}
 * ({@link BackboneSpec}): {@code vit(patch=,dim=,depth=,heads=[,mlp=])}, {@code
 * resnet(block=basic|bottleneck,layers=a-b-c-d[,channels=])}, {@code
 * swin(patch=,window=,dim=,depths=a-b..,heads=a-b..[,mlp=,drop_path=])} and {@code
 * convnext(depths=a-b-c-d,dims=a-b-c-d[,patch=,kernel=,ls=,drop_path=])}.
 */
public final class Backbones {

  /** The input side of timm's ImageNet checkpoints of the ViT, ResNet, Swin and ConvNeXt variants. */
  private static final int PRETRAINED_SIZE = 224;

  /** Every backbone family, in the order their names are listed; adding a family is one line here. */
  public static final List<BackboneFamily> FAMILIES = List.of(
      Cnn.FAMILY,
      ResNet.FAMILY,
      VisionTransformer.FAMILY,
      BackboneFamily.of(TimmVit.VARIANTS, TimmVit::variant, PRETRAINED_SIZE),
      BackboneFamily.of(ImageNetResNet.VARIANTS, (name, input) -> ImageNetResNet.variant(name), PRETRAINED_SIZE),
      BackboneFamily.of(SwinTransformer.VARIANTS, SwinTransformer::named, PRETRAINED_SIZE),
      BackboneFamily.of(ConvNeXt.VARIANTS, ConvNeXt::named, PRETRAINED_SIZE));

  public static final List<String> NAMES = FAMILIES.stream().flatMap(f -> f.names().stream()).toList();

  /** The families that take a configuration, as {@code family(...)}. */
  public static final List<String> CONFIGURABLE = List.of(TimmVit.FAMILY, ImageNetResNet.FAMILY,
      SwinTransformer.FAMILY, ConvNeXt.FAMILY);

  private Backbones() {}

  /**
   * The side the named backbone was pretrained at ({@link BackboneFamily#nativeSize}), or null for a backbone
   * trained here at the data's size and for a configured family ({@code vit(...)}), whose size the user gives.
   */
  public static Integer nativeSize(String name) {
    for (BackboneFamily family : FAMILIES) {
      if (family.names().contains(name)) {
        return family.nativeSize();
      }
    }
    return null;
  }

  /** The family of the named backbone. */
  public static BackboneFamily family(String name) {
    for (BackboneFamily family : FAMILIES) {
      if (family.names().contains(name)) {
        return family;
      }
    }
    throw unknown(name);
  }

  /**
   * @param patchSize ViT patch size, or null for the paper's choice; rejected for other backbones
   */
  public static Backbone create(String name, InputSpec input, Integer patchSize) {
    String key = name == null ? "" : name;
    BackboneSpec spec = NAMES.contains(key) ? null : BackboneSpec.parse(key);
    if (spec != null) {
      if (patchSize != null) {
        throw new InvalidOptionException("patch-size", "--patch-size applies to vit-tiny only, not to " + name);
      }
      return switch (spec.family()) {
        case TimmVit.FAMILY -> TimmVit.of(spec, input);
        case ImageNetResNet.FAMILY -> ImageNetResNet.of(spec);
        case SwinTransformer.FAMILY -> SwinTransformer.of(spec, input);
        case ConvNeXt.FAMILY -> ConvNeXt.of(spec, input);
        default -> throw new InvalidOptionException("backbone", "unknown backbone family '" + spec.family()
            + "' in '" + name + "'; known families: " + String.join(", ", CONFIGURABLE));
      };
    }
    BackboneFamily family = family(key);
    if (patchSize != null && !family.takesPatchSize()) {
      throw new InvalidOptionException("patch-size", "--patch-size applies to vit-tiny only, not to " + name);
    }
    return family.create(key, input, patchSize);
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
    if (spec == null || !CONFIGURABLE.contains(spec.family())) {
      throw unknown(name);
    }
    return switch (spec.family()) {
      case TimmVit.FAMILY -> TimmVit.canonical(spec);
      case SwinTransformer.FAMILY -> SwinTransformer.canonical(spec);
      case ConvNeXt.FAMILY -> ConvNeXt.canonical(spec);
      default -> ImageNetResNet.of(spec).name();
    };
  }

  private static InvalidOptionException unknown(String name) {
    return new InvalidOptionException("backbone", "unknown backbone '" + name + "'; known: " + String.join(", ", NAMES)
        + ", or " + String.join("(...), ", CONFIGURABLE) + "(...)");
  }
}

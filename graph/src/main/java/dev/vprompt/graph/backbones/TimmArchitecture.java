package dev.vprompt.graph.backbones;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vprompt.graph.InputSpec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A backbone for a timm model: the vprompt backbone name (a variant, or a configured family) and the input
 * the checkpoint was made for. Built from a variant name, or from timm's class name and constructor
 * arguments ({@code timm_class} and {@code timm_kwargs} in a file's metadata, or an {@code --arch-config}
 * file with the same keys).
 *
 * @param family the vprompt family ({@code vit}, {@code resnet}, ...)
 * @param backbone the name {@link Backbones#create} builds
 * @param nativeInput the input size of the checkpoint (224 x 224 x 3 unless the arguments say otherwise)
 */
public record TimmArchitecture(String family, String backbone, InputSpec nativeInput) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final InputSpec IMAGENET = new InputSpec(224, 224, 3);

  /** timm's class for each family. */
  public static final Map<String, String> TIMM_CLASSES = Map.of(TimmVit.FAMILY, "VisionTransformer",
      ImageNetResNet.FAMILY, "ResNet", SwinTransformer.FAMILY, "SwinTransformer", ConvNeXt.FAMILY, "ConvNeXt");

  /** A named variant ({@code vit-b16}, {@code resnet50-in}, ...), or null when the name is none. */
  public static TimmArchitecture ofVariant(String name) {
    if (TimmVit.VARIANTS.contains(name)) {
      return new TimmArchitecture(TimmVit.FAMILY, name, IMAGENET);
    }
    if (ImageNetResNet.VARIANTS.contains(name)) {
      return new TimmArchitecture(ImageNetResNet.FAMILY, name, IMAGENET);
    }
    if (SwinTransformer.VARIANTS.contains(name)) {
      return new TimmArchitecture(SwinTransformer.FAMILY, name, IMAGENET);
    }
    if (ConvNeXt.VARIANTS.contains(name)) {
      return new TimmArchitecture(ConvNeXt.FAMILY, name, IMAGENET);
    }
    return null;
  }

  /**
   * From timm's class name and its constructor arguments as JSON.
   *
   * @param family the family the user asked for, or null to take the class's
   */
  public static TimmArchitecture ofTimm(String family, String timmClass, String kwargsJson) {
    JsonNode kwargs;
    try {
      kwargs = kwargsJson == null || kwargsJson.isBlank() ? JSON.createObjectNode() : JSON.readTree(kwargsJson);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("timm_kwargs is not JSON: " + e.getOriginalMessage());
    }
    if (!kwargs.isObject()) {
      throw new IllegalArgumentException("timm_kwargs is not a JSON object");
    }
    String expected = family == null ? null : TIMM_CLASSES.get(family);
    if (family != null && expected == null) {
      throw new IllegalArgumentException("unknown family '" + family + "'; known: " + TIMM_CLASSES.keySet());
    }
    if (expected != null && !expected.equals(timmClass)) {
      throw new IllegalArgumentException("--arch " + family + " needs a timm " + expected + ", the file's timm_class is "
          + timmClass);
    }
    return switch (timmClass == null ? "" : timmClass) {
      case "VisionTransformer" -> vit(kwargs);
      case "ResNet" -> resnet(kwargs);
      case "SwinTransformer" -> swin(kwargs);
      case "ConvNeXt" -> convnext(kwargs);
      default -> throw new IllegalArgumentException("timm_class '" + timmClass + "' is not one vprompt builds; known: "
          + TIMM_CLASSES.values());
    };
  }

  private static TimmArchitecture vit(JsonNode kw) {
    allow(kw, "VisionTransformer", "img_size", "patch_size", "in_chans", "num_classes", "embed_dim", "depth",
        "num_heads", "mlp_ratio", "qkv_bias", "class_token", "global_pool");
    require(kw, "qkv_bias", true);
    require(kw, "class_token", true);
    if (kw.has("global_pool") && !kw.get("global_pool").asText().equals("token")) {
      throw new IllegalArgumentException("VisionTransformer: only global_pool='token' is built, got " + kw.get("global_pool"));
    }
    InputSpec input = imageSize(kw, "VisionTransformer");
    String spec = TimmVit.specOf(integer(kw, "patch_size", 16), integer(kw, "embed_dim", 768), integer(kw, "depth", 12),
        integer(kw, "num_heads", 12), kw.has("mlp_ratio") ? kw.get("mlp_ratio").asDouble() : 4.0);
    return new TimmArchitecture(TimmVit.FAMILY, spec, input);
  }

  private static TimmArchitecture resnet(JsonNode kw) {
    allow(kw, "ResNet", "block", "layers", "channels", "num_classes", "in_chans", "stem_width");
    // stem_width only widens timm's deep stems; the default 7x7 stem has 64 channels whatever it says
    String block = kw.has("block") ? kw.get("block").asText() : "";
    if (!block.equals("BasicBlock") && !block.equals("Bottleneck")) {
      throw new IllegalArgumentException("ResNet: block must be BasicBlock or Bottleneck, got '" + block + "'");
    }
    List<Integer> layers = integers(kw, "layers", null);
    if (layers == null) {
      throw new IllegalArgumentException("ResNet: timm_kwargs has no layers");
    }
    List<Integer> channels = integers(kw, "channels", List.of(64, 128, 256, 512));
    String spec = ImageNetResNet.specOf(block.equals("Bottleneck"), layers, channels);
    return new TimmArchitecture(ImageNetResNet.FAMILY, spec, new InputSpec(224, 224, integer(kw, "in_chans", 3)));
  }

  private static TimmArchitecture swin(JsonNode kw) {
    SwinTransformer swin = SwinTransformer.fromTimmKwargs(asMap(kw));
    return new TimmArchitecture(SwinTransformer.FAMILY, swin.spec(), swin.input());
  }

  /** ConvNeXt has no image size of its own: the checkpoints' 224 x 224. */
  private static TimmArchitecture convnext(JsonNode kw) {
    InputSpec input = new InputSpec(224, 224, integer(kw, "in_chans", 3));
    ConvNeXt convnext = ConvNeXt.fromTimmKwargs(asMap(kw), input);
    return new TimmArchitecture(ConvNeXt.FAMILY, convnext.spec(), input);
  }

  private static Map<String, Object> asMap(JsonNode kw) {
    return JSON.convertValue(kw, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
  }

  private static InputSpec imageSize(JsonNode kw, String what) {
    int channels = integer(kw, "in_chans", 3);
    JsonNode size = kw.get("img_size");
    if (size == null) {
      return new InputSpec(224, 224, channels);
    }
    if (size.isInt()) {
      return new InputSpec(size.asInt(), size.asInt(), channels);
    }
    if (size.isArray() && size.size() == 2 && size.get(0).isInt() && size.get(1).isInt()) {
      return new InputSpec(size.get(0).asInt(), size.get(1).asInt(), channels);
    }
    throw new IllegalArgumentException(what + ": img_size must be an integer or [h, w], got " + size);
  }

  /** Fails on constructor arguments vprompt does not build, which would change the model silently. */
  private static void allow(JsonNode kw, String what, String... known) {
    List<String> knownList = List.of(known);
    List<String> unknown = new ArrayList<>();
    for (Iterator<String> it = kw.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!knownList.contains(key)) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(what + ": timm_kwargs " + unknown + " are not built by vprompt; it builds "
          + knownList);
    }
  }

  private static void require(JsonNode kw, String key, boolean value) {
    if (kw.has(key) && kw.get(key).asBoolean() != value) {
      throw new IllegalArgumentException("only " + key + "=" + value + " is built, got " + kw.get(key));
    }
  }

  private static int integer(JsonNode kw, String key, int otherwise) {
    JsonNode v = kw.get(key);
    if (v == null) {
      return otherwise;
    }
    if (!v.isInt()) {
      throw new IllegalArgumentException("timm_kwargs " + key + " must be an integer, got " + v);
    }
    return v.asInt();
  }

  private static List<Integer> integers(JsonNode kw, String key, List<Integer> otherwise) {
    JsonNode v = kw.get(key);
    if (v == null) {
      return otherwise;
    }
    List<Integer> out = new ArrayList<>();
    if (v.isArray()) {
      for (JsonNode e : v) {
        if (!e.isInt()) {
          throw new IllegalArgumentException("timm_kwargs " + key + " must be a list of integers, got " + v);
        }
        out.add(e.asInt());
      }
      return out;
    }
    throw new IllegalArgumentException("timm_kwargs " + key + " must be a list of integers, got " + v);
  }
}

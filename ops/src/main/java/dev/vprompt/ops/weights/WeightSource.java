package dev.vprompt.ops.weights;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Named tensors to import: their shapes up front, their values (as float32) one at a time. A checkpoint
 * saved from a wrapped PyTorch model has every name under {@code module.} (DataParallel) or {@code model.}
 * (Lightning and similar); {@link #of} removes such a prefix when every tensor carries it.
 */
public interface WeightSource {

  /** Prefixes of wrapped models, removed when every name starts with one. */
  List<String> WRAPPER_PREFIXES = List.of("module.", "model.");

  /** Where the tensors come from (a file name), for messages. */
  String description();

  /** Every tensor's shape by name, sorted by name. */
  Map<String, long[]> shapes();

  /** One tensor's values in row-major order. */
  float[] floats(String name) throws IOException;

  /** The tensors of an open safetensors file (not closed by this view), wrapper prefix removed. */
  static WeightSource of(SafetensorsFile file) {
    Map<String, long[]> raw = new TreeMap<>();
    file.entries().forEach((name, entry) -> raw.put(name, entry.shape()));
    String prefix = wrapperPrefix(raw.keySet());
    Map<String, long[]> shapes = new TreeMap<>();
    raw.forEach((name, shape) -> shapes.put(name.substring(prefix.length()), shape));
    Map<String, long[]> view = Collections.unmodifiableMap(shapes);
    return new WeightSource() {
      @Override
      public String description() {
        return file.path().toString();
      }

      @Override
      public Map<String, long[]> shapes() {
        return view;
      }

      @Override
      public float[] floats(String name) throws IOException {
        return file.floats(prefix + name);
      }
    };
  }

  /** Shapes without values (a manifest of a checkpoint's names), for checking a mapping. */
  static WeightSource shapesOnly(String description, Map<String, long[]> shapes) {
    Map<String, long[]> sorted = Collections.unmodifiableMap(new TreeMap<>(shapes));
    return new WeightSource() {
      @Override
      public String description() {
        return description;
      }

      @Override
      public Map<String, long[]> shapes() {
        return sorted;
      }

      @Override
      public float[] floats(String name) {
        throw new UnsupportedOperationException(description + " holds shapes only, no values");
      }
    };
  }

  /** The wrapper prefix every name starts with, or "" when there is none. */
  static String wrapperPrefix(java.util.Collection<String> names) {
    for (String prefix : WRAPPER_PREFIXES) {
      if (!names.isEmpty() && names.stream().allMatch(n -> n.startsWith(prefix))) {
        return prefix;
      }
    }
    return "";
  }
}

package dev.vprompt.graph.backbones;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A timm constructor's keyword arguments as parsed from JSON ({@code timm_kwargs} in a safetensors header,
 * or an {@code --arch-config} file): numbers, lists of numbers, booleans and strings. Reads them with
 * timm's defaults and one-line errors naming the class and the argument.
 */
final class TimmKwargs {

  private final String timmClass;
  private final Map<String, ?> values;

  TimmKwargs(String timmClass, Map<String, ?> values, Set<String> known) {
    this.timmClass = timmClass;
    this.values = values;
    for (String key : values.keySet()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException(timmClass + " argument '" + key + "' is not supported; supported: "
            + String.join(", ", known.stream().sorted().toList()));
      }
    }
  }

  int integer(String key, int fallback) {
    Object value = values.get(key);
    if (value == null) {
      return fallback;
    }
    return exactInt(key, value);
  }

  double number(String key, double fallback) {
    Object value = values.get(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number number)) {
      throw error(key, "a number", value);
    }
    return number.doubleValue();
  }

  boolean bool(String key, boolean fallback) {
    Object value = values.get(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Boolean b)) {
      throw error(key, "true or false", value);
    }
    return b;
  }

  String string(String key, String fallback) {
    Object value = values.get(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String s)) {
      throw error(key, "a string", value);
    }
    return s;
  }

  List<Integer> integers(String key, List<Integer> fallback) {
    Object value = values.get(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof List<?> list) || list.isEmpty()) {
      throw error(key, "a non-empty list of integers", value);
    }
    List<Integer> out = new ArrayList<>();
    for (Object item : list) {
      out.add(exactInt(key, item));
    }
    return List.copyOf(out);
  }

  /** An int, or a list of ints all equal to each other (timm's {@code to_2tuple}), e.g. {@code img_size}. */
  int square(String key, int fallback) {
    Object value = values.get(key);
    if (value instanceof List<?>) {
      List<Integer> sides = integers(key, null);
      if (sides.stream().distinct().count() != 1) {
        throw new IllegalArgumentException(timmClass + " argument '" + key + "' must be square, got " + sides);
      }
      return sides.get(0);
    }
    return integer(key, fallback);
  }

  /** Rejects a value other than timm's default, for arguments vprompt reads but does not implement. */
  void requireDefault(String key, Object timmDefault) {
    Object value = values.get(key);
    if (value == null) {
      return;
    }
    boolean same = value instanceof Number n && timmDefault instanceof Number d
        ? n.doubleValue() == d.doubleValue() : value.equals(timmDefault);
    if (!same) {
      throw new IllegalArgumentException(timmClass + " argument '" + key + "' = " + value
          + " is not supported (only timm's default " + timmDefault + ")");
    }
  }

  private int exactInt(String key, Object value) {
    if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
        || Math.abs(number.doubleValue()) > Integer.MAX_VALUE) {
      throw error(key, "an integer", value);
    }
    return number.intValue();
  }

  private IllegalArgumentException error(String key, String expected, Object value) {
    return new IllegalArgumentException(timmClass + " argument '" + key + "' must be " + expected + ", got " + value);
  }
}

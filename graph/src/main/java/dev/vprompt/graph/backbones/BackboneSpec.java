package dev.vprompt.graph.backbones;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A backbone name with its configuration, {@code family(key=value,...)}, e.g. {@code
 * vit(patch=8,dim=48,depth=2,heads=3)}: how a configuration that has no variant name (a tiny test model, a
 * checkpoint's own constructor arguments) is written in config.json and given to {@code --backbone}. Lists
 * are dash-separated ({@code layers=2-2-2-2}).
 */
public record BackboneSpec(String family, Map<String, String> values) {

  private static final Pattern FORM = Pattern.compile("([a-z][a-z0-9-]*)\\((.*)\\)");
  private static final Pattern PAIR = Pattern.compile("([a-z_]+)=([A-Za-z0-9.\\-]+)");

  public BackboneSpec {
    values = Map.copyOf(values);
  }

  /** The spec written as {@code family(key=value,...)} with keys in the given order. */
  public static String format(String family, Map<String, ?> ordered) {
    return family + "(" + ordered.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(",")) + ")";
  }

  /** Parses {@code family(key=value,...)}, or returns null when the name has no parentheses. */
  public static BackboneSpec parse(String name) {
    Matcher m = FORM.matcher(name);
    if (!m.matches()) {
      return null;
    }
    Map<String, String> values = new LinkedHashMap<>();
    if (!m.group(2).isBlank()) {
      for (String part : m.group(2).split(",")) {
        Matcher p = PAIR.matcher(part.trim());
        if (!p.matches() || values.put(p.group(1), p.group(2)) != null) {
          throw new IllegalArgumentException("backbone '" + name + "': '" + part + "' is not a single key=value");
        }
      }
    }
    return new BackboneSpec(m.group(1), values);
  }

  /** Fails on keys outside {@code known}. */
  public void requireKeys(List<String> known) {
    for (String key : values.keySet()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException(family + " backbone: unknown setting '" + key + "'; known: "
            + String.join(", ", known));
      }
    }
  }

  public int integer(String key, int otherwise) {
    String v = values.get(key);
    if (v == null) {
      return otherwise;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(family + " backbone: " + key + "=" + v + " is not an integer");
    }
  }

  public double decimal(String key, double otherwise) {
    String v = values.get(key);
    if (v == null) {
      return otherwise;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(family + " backbone: " + key + "=" + v + " is not a number");
    }
  }

  public String text(String key, String otherwise) {
    return values.getOrDefault(key, otherwise).toLowerCase(Locale.ROOT);
  }

  public List<Integer> integers(String key, List<Integer> otherwise) {
    String v = values.get(key);
    if (v == null) {
      return otherwise;
    }
    try {
      return java.util.Arrays.stream(v.split("-")).map(Integer::parseInt).toList();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(family + " backbone: " + key + "=" + v + " is not a dash-separated list");
    }
  }

  public static String dashed(List<Integer> values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining("-"));
  }
}

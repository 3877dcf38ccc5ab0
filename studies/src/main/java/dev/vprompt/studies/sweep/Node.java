package dev.vprompt.studies.sweep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed sweep file value that remembers its line, so that every later check can name it. Maps keep
 * the order and the line of each key.
 */
public sealed interface Node {

  Origin origin();

  /** What the value is, for "expected a list, got a map"-style messages. */
  String describe();

  /** A scalar as written: text, and whether YAML/JSON read it as a string, number, boolean or null. */
  record Scalar(Origin origin, String text, Type type) implements Node {
    public enum Type { STRING, INTEGER, DECIMAL, BOOLEAN, NULL }

    @Override
    public String describe() {
      return type == Type.NULL ? "nothing (null)" : "'" + text + "'";
    }
  }

  record ListNode(Origin origin, List<Node> items) implements Node {
    public ListNode {
      items = List.copyOf(items);
    }

    @Override
    public String describe() {
      return "a list";
    }
  }

  /** One key of a map: its own line (for unknown-key errors) and its value. */
  record Entry(String key, Origin keyOrigin, Node value) {}

  record MapNode(Origin origin, Map<String, Entry> entries) implements Node {
    public MapNode {
      entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    @Override
    public String describe() {
      return "a map";
    }

    public Entry entry(String key) {
      return entries.get(key);
    }

    /** A copy with {@code key} set (added at the end, or replaced in place). */
    public MapNode with(String key, Origin keyOrigin, Node value) {
      Map<String, Entry> copy = new LinkedHashMap<>(entries);
      copy.put(key, new Entry(key, keyOrigin, value));
      return new MapNode(origin, copy);
    }

    public MapNode without(String key) {
      Map<String, Entry> copy = new LinkedHashMap<>(entries);
      copy.remove(key);
      return new MapNode(origin, copy);
    }
  }
}

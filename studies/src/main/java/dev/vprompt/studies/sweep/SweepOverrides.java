package dev.vprompt.studies.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code --set KEY=VALUE} on a sweep file, applied to its tree before it is checked, so that an
 * override is checked like the file and its errors name the {@code --set} that caused them.
 *
 * <ul>
 *   <li>{@code datasets}, {@code backbones}, {@code prompts}, {@code seeds}: a comma-separated list that
 *       replaces the file's. A replacing dataset of the same kind as one in the file keeps that entry's
 *       own options ({@code --set datasets=cifar10:/data/cifar10} still trains 150 epochs).
 *   <li>{@code epochs}: every run's epochs, the datasets' own included.
 *   <li>{@code description}: the text.
 *   <li>anything else (or {@code train.KEY}): one value of a train option for every run, as under
 *       {@code train:} (a grid over an option's values is written in the file).
 * </ul>
 */
final class SweepOverrides {

  private static final Set<String> LISTS = Set.of("datasets", "backbones", "prompts", "seeds");

  private SweepOverrides() {}

  static Node.MapNode apply(Node.MapNode root, List<String> overrides) {
    Node.MapNode result = root;
    for (String text : overrides) {
      result = applyOne(result, text);
    }
    return result;
  }

  private static Node.MapNode applyOne(Node.MapNode root, String text) {
    Origin origin = Origin.commandLine("--set " + text);
    int equals = text.indexOf('=');
    if (equals < 1) {
      throw new SweepFileException(origin, null, "expected KEY=VALUE, e.g. --set epochs=1 or --set seeds=42,43");
    }
    String key = text.substring(0, equals).strip();
    String value = text.substring(equals + 1).strip();
    if (LISTS.contains(key)) {
      List<Node> items = new ArrayList<>();
      for (String part : value.split(",")) {
        if (!part.isBlank()) {
          items.add(scalar(origin, part.strip()));
        }
      }
      Node.ListNode list = new Node.ListNode(origin, items);
      return key.equals("datasets") ? root.with(key, origin, keepOwnOptions(root.entry(key), list))
          : root.with(key, origin, list);
    }
    if (key.equals("epochs")) {
      return withoutDatasetEpochs(root).with(key, origin, scalar(origin, value));
    }
    if (key.equals("description")) {
      return root.with(key, origin, new Node.Scalar(origin, value, Node.Scalar.Type.STRING));
    }
    String option = key.startsWith("train.") ? key.substring("train.".length()) : key;
    Node.Entry train = root.entry("train");
    Node.MapNode options = train != null && train.value() instanceof Node.MapNode map ? map
        : new Node.MapNode(origin, java.util.Map.of());
    // one value, never a list: values such as data-classes 0,2,4 contain commas themselves
    return root.with("train", train != null ? train.keyOrigin() : origin, options.with(option, origin, scalar(origin, value)));
  }

  /** Each new data spec inherits the options of the file's entry of the same kind, if any. */
  private static Node keepOwnOptions(Node.Entry original, Node.ListNode replacement) {
    if (original == null || !(original.value() instanceof Node.ListNode originalList)) {
      return replacement;
    }
    List<Node> items = new ArrayList<>();
    for (Node item : replacement.items()) {
      String spec = ((Node.Scalar) item).text();
      Node.MapNode sameKind = null;
      for (Node candidate : originalList.items()) {
        if (candidate instanceof Node.MapNode map && map.entry("data") != null
            && map.entry("data").value() instanceof Node.Scalar data && sameKind(data.text(), spec)) {
          sameKind = map;
          break;
        }
      }
      items.add(sameKind == null ? item
          : sameKind.without("name").with("data", item.origin(), item));
    }
    return new Node.ListNode(replacement.origin(), items);
  }

  private static boolean sameKind(String a, String b) {
    return kind(a).equals(kind(b));
  }

  /** The embedded subset is Fashion-MNIST: it takes the Fashion-MNIST entry's options. */
  private static String kind(String spec) {
    int colon = spec.indexOf(':');
    String kind = colon < 0 ? spec : spec.substring(0, colon);
    return kind.strip().equals(dev.vprompt.core.data.LoadedData.EMBEDDED) ? "fashion-mnist" : kind.strip();
  }

  private static Node.MapNode withoutDatasetEpochs(Node.MapNode root) {
    Node.Entry datasets = root.entry("datasets");
    if (datasets == null || !(datasets.value() instanceof Node.ListNode list)) {
      return root;
    }
    List<Node> items = new ArrayList<>();
    for (Node item : list.items()) {
      items.add(item instanceof Node.MapNode map ? map.without("epochs") : item);
    }
    return root.with("datasets", datasets.keyOrigin(), new Node.ListNode(list.origin(), items));
  }

  /** Command-line text is typed like YAML would type it, so "42" is a number and "x" a string. */
  private static Node.Scalar scalar(Origin origin, String text) {
    Node.Scalar.Type type;
    if (text.matches("[-+]?[0-9]+")) {
      type = Node.Scalar.Type.INTEGER;
    } else if (text.equals("true") || text.equals("false")) {
      type = Node.Scalar.Type.BOOLEAN;
    } else {
      type = Node.Scalar.Type.STRING;
    }
    return new Node.Scalar(origin, text, type);
  }
}

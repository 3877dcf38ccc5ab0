package dev.vprompt.studies.sweep;

import dev.vprompt.core.data.LoadedData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks a sweep file (see {@code presets/}), with {@code --set} overrides applied first. Every
 * problem is reported as {@code FILE:LINE: key 'xyz': problem}: unknown keys, wrong types, unknown names.
 *
 * <pre>
 * datasets:                      # data specs, or maps with `data` and the dataset's own options
 *   - data: fashion-mnist:/usr/share/datasets/fashion-mnist
 *     epochs: 10
 * backbones: [cnn, resnet18]
 * prompts:                       # names, or maps with `name`, an optional `label` and prompt options
 *   - none
 *   - {name: msvp, msvp_fusion: gated}
 * seeds: [42, 43, 44]
 * epochs: 10                     # for datasets without their own
 * train:                         # any other `vprompt train` option; a list makes it one more grid axis
 *   batch_size: 128
 * </pre>
 */
public final class SweepFileReader {

  static final Set<String> TOP_KEYS = Set.of("description", "datasets", "backbones", "prompts", "seeds", "epochs",
      "train");
  private static final Pattern UNSAFE_IN_NAMES = Pattern.compile("[^A-Za-z0-9._+-]+");

  private final TrainOptions options;

  public SweepFileReader(TrainOptions options) {
    this.options = options;
  }

  /** Reads {@code file}, applies the {@code --set KEY=VALUE} overrides in order, and checks everything. */
  public SweepSpec read(Path file, List<String> overrides) {
    Node root = LocatedTreeReader.read(file);
    if (!(root instanceof Node.MapNode map)) {
      throw new SweepFileException(root.origin(), null, "a sweep file is a map of " + String.join(", ", sorted(TOP_KEYS))
          + "; got " + root.describe());
    }
    return parse(SweepOverrides.apply(map, overrides));
  }

  SweepSpec parse(Node.MapNode root) {
    for (Node.Entry entry : root.entries().values()) {
      if (!TOP_KEYS.contains(entry.key())) {
        throw new SweepFileException(entry.keyOrigin(), entry.key(),
            "unknown key; a sweep file has " + String.join(", ", sorted(TOP_KEYS)));
      }
    }
    String description = root.entry("description") == null ? "" : scalarText(root.entry("description"));
    List<SweepSpec.DatasetEntry> datasets = new ArrayList<>();
    for (Node item : requiredList(root, "datasets")) {
      datasets.add(dataset(item));
    }
    List<Setting> backbones = new ArrayList<>();
    for (Node item : requiredList(root, "backbones")) {
      backbones.add(namedValue(item, "backbones", "backbone"));
    }
    List<SweepSpec.PromptEntry> prompts = new ArrayList<>();
    for (Node item : requiredList(root, "prompts")) {
      prompts.add(prompt(item));
    }
    List<Setting> seeds = new ArrayList<>();
    for (Node item : requiredList(root, "seeds")) {
      seeds.add(integer(item, "seeds", "seed", Long.MIN_VALUE));
    }
    Setting epochs = root.entry("epochs") == null ? null : integer(root.entry("epochs").value(), "epochs", "epochs", 1);
    List<Setting> shared = new ArrayList<>();
    List<SweepSpec.Axis> axes = new ArrayList<>();
    Node.Entry train = root.entry("train");
    if (train != null) {
      for (Node.Entry entry : map(train.value(), "train").entries().values()) {
        String option = optionName(entry, "train");
        if (entry.value() instanceof Node.ListNode list) {
          axes.add(axis(entry, option, list));
        } else {
          shared.add(setting(entry, option));
        }
      }
    }
    return new SweepSpec(description, datasets, backbones, prompts, seeds, epochs, shared, axes);
  }

  private SweepSpec.DatasetEntry dataset(Node item) {
    if (item instanceof Node.Scalar) {
      Setting data = namedValue(item, "datasets", "data");
      return new SweepSpec.DatasetEntry(datasetLabel(data.value()), data, List.of());
    }
    Node.MapNode map = map(item, "datasets");
    Node.Entry dataEntry = map.entry("data");
    if (dataEntry == null) {
      throw new SweepFileException(map.origin(), "datasets", "an entry given as a map needs 'data: KIND:DIR'");
    }
    Setting data = namedValue(dataEntry.value(), "data", "data");
    String label = datasetLabel(data.value());
    List<Setting> own = new ArrayList<>();
    for (Node.Entry entry : map.entries().values()) {
      switch (entry.key()) {
        case "data" -> { }
        case "name" -> label = safeName(entry, scalarText(entry));
        case "epochs" -> own.add(integer(entry.value(), "epochs", "epochs", 1));
        default -> own.add(setting(entry, optionName(entry, "datasets")));
      }
    }
    return new SweepSpec.DatasetEntry(label, data, own);
  }

  private SweepSpec.PromptEntry prompt(Node item) {
    if (item instanceof Node.Scalar) {
      Setting name = namedValue(item, "prompts", "prompt");
      return new SweepSpec.PromptEntry(name.value(), name, List.of());
    }
    Node.MapNode map = map(item, "prompts");
    Node.Entry nameEntry = map.entry("name");
    if (nameEntry == null) {
      throw new SweepFileException(map.origin(), "prompts", "an entry given as a map needs 'name: PROMPT'");
    }
    Setting name = namedValue(nameEntry.value(), "name", "prompt");
    String label = null;
    List<Setting> own = new ArrayList<>();
    StringBuilder slug = new StringBuilder(name.value());
    for (Node.Entry entry : map.entries().values()) {
      switch (entry.key()) {
        case "name" -> { }
        case "label" -> label = safeName(entry, scalarText(entry));
        default -> {
          Setting setting = setting(entry, optionName(entry, "prompts"));
          own.add(setting);
          slug.append('-').append(setting.value());
        }
      }
    }
    String finalSlug = label != null ? label : UNSAFE_IN_NAMES.matcher(slug).replaceAll("_");
    return new SweepSpec.PromptEntry(finalSlug, name, own);
  }

  private SweepSpec.Axis axis(Node.Entry entry, String option, Node.ListNode list) {
    if (list.items().isEmpty()) {
      throw new SweepFileException(list.origin(), entry.key(), "an empty list; give one value or several");
    }
    List<Setting> values = new ArrayList<>();
    for (Node item : list.items()) {
      values.add(setting(new Node.Entry(entry.key(), entry.keyOrigin(), item), option));
    }
    return new SweepSpec.Axis(option, values);
  }

  /** A train option's name from a key, rejecting unknown and reserved ones. */
  private String optionName(Node.Entry entry, String section) {
    String option = TrainOptions.canonical(entry.key());
    if (TrainOptions.RESERVED.contains(option)) {
      throw new SweepFileException(entry.keyOrigin(), entry.key(), "set by the sweep itself; use the top-level "
          + "datasets, backbones, prompts, seeds or epochs (not an option under '" + section + "')");
    }
    if (!options.knows(option)) {
      String near = closest(option);
      throw new SweepFileException(entry.keyOrigin(), entry.key(), "unknown option"
          + (near == null ? "" : " (did you mean '" + near.replace('-', '_') + "'?)") + "; '" + section
          + "' takes the options of 'vprompt train' (see vprompt train --help)");
    }
    return option;
  }

  /** The known option nearest to a misspelt one, if any is near (at most 3 edits). */
  private String closest(String option) {
    String best = null;
    int bestDistance = 4;
    for (String name : sorted(options.names())) {
      int d = editDistance(option, name);
      if (d < bestDistance && !TrainOptions.RESERVED.contains(name)) {
        best = name;
        bestDistance = d;
      }
    }
    return best;
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private Setting setting(Node.Entry entry, String option) {
    Node value = entry.value();
    if (!(value instanceof Node.Scalar scalar)) {
      throw new SweepFileException(value.origin(), entry.key(), "expected a single value, got " + value.describe());
    }
    if (scalar.type() == Node.Scalar.Type.NULL) {
      throw new SweepFileException(value.origin(), entry.key(), "has no value");
    }
    if (options.isFlag(option) && !scalar.text().equals("true") && !scalar.text().equals("false")) {
      throw new SweepFileException(value.origin(), entry.key(), "a switch: expected true or false, got " + scalar.describe());
    }
    OptionValueChecks.check(option, scalar.text(), value.origin(), entry.key());
    return new Setting(option, entry.key(), scalar.text(), value.origin());
  }

  /** A scalar naming something (a backbone, a prompt, a data spec), checked by the option's parser. */
  private Setting namedValue(Node node, String key, String option) {
    if (!(node instanceof Node.Scalar scalar) || scalar.type() == Node.Scalar.Type.NULL) {
      throw new SweepFileException(node.origin(), key, "expected a name, got " + node.describe());
    }
    OptionValueChecks.check(option, scalar.text(), node.origin(), key);
    return new Setting(option, key, scalar.text(), node.origin());
  }

  private static Setting integer(Node node, String key, String option, long minimum) {
    if (!(node instanceof Node.Scalar scalar) || scalar.type() == Node.Scalar.Type.DECIMAL
        || scalar.type() == Node.Scalar.Type.BOOLEAN || scalar.type() == Node.Scalar.Type.NULL) {
      throw new SweepFileException(node.origin(), key, "expected a whole number, got " + node.describe());
    }
    long value;
    try {
      value = Long.parseLong(scalar.text().strip());
    } catch (NumberFormatException e) {
      throw new SweepFileException(node.origin(), key, "expected a whole number, got " + node.describe());
    }
    if (value < minimum) {
      throw new SweepFileException(node.origin(), key, "must be at least " + minimum + ", got " + value);
    }
    return new Setting(option, key, Long.toString(value), node.origin());
  }

  private static List<Node> requiredList(Node.MapNode root, String key) {
    Node.Entry entry = root.entry(key);
    if (entry == null) {
      throw new SweepFileException(root.origin(), key, "missing; a sweep needs datasets, backbones, prompts and seeds");
    }
    if (!(entry.value() instanceof Node.ListNode list)) {
      throw new SweepFileException(entry.value().origin(), key, "expected a list, e.g. [a, b], got "
          + entry.value().describe());
    }
    if (list.items().isEmpty()) {
      throw new SweepFileException(list.origin(), key, "an empty list: the grid would have no runs");
    }
    return list.items();
  }

  private static Node.MapNode map(Node node, String key) {
    if (!(node instanceof Node.MapNode map)) {
      throw new SweepFileException(node.origin(), key, "expected a map of keys to values, got " + node.describe());
    }
    return map;
  }

  private static String scalarText(Node.Entry entry) {
    if (!(entry.value() instanceof Node.Scalar scalar) || scalar.type() == Node.Scalar.Type.NULL) {
      throw new SweepFileException(entry.value().origin(), entry.key(), "expected text, got " + entry.value().describe());
    }
    return scalar.text();
  }

  private static String safeName(Node.Entry entry, String text) {
    if (text.isBlank() || UNSAFE_IN_NAMES.matcher(text).find()) {
      throw new SweepFileException(entry.value().origin(), entry.key(),
          "'" + text + "' cannot be part of a directory name; use letters, digits, '.', '_', '+' and '-'");
    }
    return text;
  }

  /** {@code fashion-mnist:/data/x} is labelled {@code fashion-mnist}; the embedded subset {@code embedded}. */
  static String datasetLabel(String spec) {
    if (spec.equals(LoadedData.EMBEDDED)) {
      return LoadedData.EMBEDDED;
    }
    return spec.substring(0, spec.indexOf(':')).strip().toLowerCase(java.util.Locale.ROOT);
  }

  private static List<String> sorted(Set<String> names) {
    return names.stream().sorted().toList();
  }
}

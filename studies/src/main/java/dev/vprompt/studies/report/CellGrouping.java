package dev.vprompt.studies.report;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Groups runs into cells (same key, different seeds), orders them for tables (dataset, backbone,
 * settings, then the baseline before the prompts), and names what besides dataset, backbone, prompt and
 * epochs differs between cells, so that two learning rates do not look like one row twice.
 *
 * @param cells in table order
 * @param notes what a reader should know about the input (a seed run twice)
 */
public record CellGrouping(List<Cell> cells, Map<CellKey, String> settings, List<String> notes) {

  /** Fields of the training settings that are never a difference worth a column. */
  private static final Set<String> NOT_SETTINGS = Set.of("seed", "threads", "evalBatchSize", "epochs");

  public static CellGrouping of(List<RunRecord> runs) {
    Map<CellKey, List<RunRecord>> byKey = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    for (RunRecord run : runs) {
      List<RunRecord> same = byKey.computeIfAbsent(CellKey.of(run.config()), k -> new ArrayList<>());
      RunRecord twin = same.stream().filter(r -> r.seed() == run.seed()).findFirst().orElse(null);
      if (twin != null) {
        notes.add(run.dir() + " repeats " + twin.dir() + " (same settings and seed); only the first is counted");
        continue;
      }
      same.add(run);
    }
    Map<CellKey, String> settings = describeDifferences(byKey.keySet());
    List<Cell> cells = byKey.entrySet().stream().map(e -> new Cell(e.getKey(), e.getValue()))
        .sorted(Comparator.comparing((Cell c) -> c.key().datasetName())
            .thenComparing(c -> c.key().backbone())
            .thenComparing(c -> settings.get(c.key()))
            .thenComparingInt(c -> c.key().training().epochs())
            .thenComparing(c -> c.key().isBaseline() ? 0 : 1)
            .thenComparing(Cell::promptLabel))
        .toList();
    return new CellGrouping(cells, settings, notes);
  }

  public Cell find(CellKey key) {
    return cells.stream().filter(c -> c.key().equals(key)).findFirst().orElse(null);
  }

  /** Whether any cell differs from another in more than dataset, backbone, prompt and epochs. */
  public boolean hasSettings() {
    return settings.values().stream().anyMatch(s -> !s.isEmpty());
  }

  /** For each key, {@code name=value} for every setting whose value is not the same in all keys. */
  private static Map<CellKey, String> describeDifferences(Set<CellKey> keys) {
    Map<String, Set<Object>> values = new LinkedHashMap<>();
    for (CellKey key : keys) {
      fields(key).forEach((name, value) -> values.computeIfAbsent(name, n -> new HashSet<>()).add(asKey(value)));
    }
    // one dataset read from two places is worth naming; different datasets are told apart by name
    Map<String, Set<String>> specsByName = new LinkedHashMap<>();
    keys.forEach(k -> specsByName.computeIfAbsent(k.datasetName(), n -> new HashSet<>()).add(k.data()));
    Map<CellKey, String> out = new LinkedHashMap<>();
    for (CellKey key : keys) {
      List<String> parts = new ArrayList<>();
      if (specsByName.get(key.datasetName()).size() > 1) {
        parts.add("data=" + key.data());
      }
      fields(key).entrySet().stream().filter(e -> values.get(e.getKey()).size() > 1)
          .forEach(e -> parts.add(kebab(e.getKey()) + "=" + e.getValue()));
      out.put(key, String.join(", ", parts));
    }
    return out;
  }

  /** {@code learningRate} as the command line writes it: {@code learning-rate}. */
  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }

  private static Object asKey(Object value) {
    return value == null ? "null" : value;
  }

  private static Map<String, Object> fields(CellKey key) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (RecordComponent c : key.training().getClass().getRecordComponents()) {
      if (!NOT_SETTINGS.contains(c.getName())) {
        fields.put(c.getName(), read(c, key.training()));
      }
    }
    fields.put("patchSize", key.patchSize());
    fields.put("dataClasses", key.dataClasses());
    fields.put("transfer", key.transfer());
    return fields;
  }

  private static Object read(RecordComponent component, Object record) {
    try {
      return component.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}

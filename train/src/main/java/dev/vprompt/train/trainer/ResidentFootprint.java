package dev.vprompt.train.trainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What each device holds of the resident data, told in one line from a graph's data variables. */
public final class ResidentFootprint {

  private ResidentFootprint() {}

  /**
   * E.g. {@code /job:worker/task:0: train_shard0 81 rows, val 18 rows, test 100 rows (0.2 MB);
   * /job:worker/task:1: train_shard1 81 rows (0.1 MB)}; pixels and labels of a copy counted together.
   */
  public static String describe(List<TrainingGraph.ResidentVariable> variables) {
    Map<String, Map<String, Long>> rows = new LinkedHashMap<>();
    Map<String, Long> bytes = new LinkedHashMap<>();
    for (TrainingGraph.ResidentVariable v : variables) {
      String device = shortDevice(v.device());
      // data.NAME.pixels / data.NAME.labels
      String copy = v.name().substring("data.".length(), v.name().lastIndexOf('.'));
      rows.computeIfAbsent(device, d -> new LinkedHashMap<>()).put(copy, v.rows());
      bytes.merge(device, v.bytes(), Long::sum);
    }
    List<String> parts = new ArrayList<>();
    rows.forEach((device, copies) -> {
      List<String> held = new ArrayList<>();
      copies.forEach((copy, n) -> held.add(copy + " " + n + " rows"));
      parts.add(String.format(Locale.ROOT, "%s: %s (%.1f MB)", device, String.join(", ", held),
          bytes.get(device) / 1e6));
    });
    return String.join("; ", parts);
  }

  /** {@code /job:worker/replica:0/task:1/device:CPU:0} as {@code /job:worker/task:1}; empty as the placer's. */
  static String shortDevice(String device) {
    if (device == null || device.isEmpty()) {
      return "(placer's device)";
    }
    String d = device.replace("/replica:0", "");
    if (d.startsWith("/job:")) {
      d = d.endsWith("/device:CPU:0") ? d.substring(0, d.length() - "/device:CPU:0".length()) : d.replace("/device:", "/");
    } else {
      d = d.replace("/device:", "");
    }
    return d.toLowerCase(Locale.ROOT);
  }
}

package dev.vprompt.studies.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vprompt.core.eval.EvalResult;
import dev.vprompt.core.run.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code RUN/eval-CHECKPOINT.json}, written by {@code vprompt eval} and by the report (which reuses it
 * instead of evaluating again): accuracy, loss, per-class accuracy and the confusion matrix of one
 * checkpoint on one dataset's test split.
 */
public final class EvalReport {

  private EvalReport() {}

  public static Path file(Path runDir, String checkpoint) {
    return runDir.resolve("eval-" + checkpoint + ".json");
  }

  public static Map<String, Object> toMap(Path runDir, String checkpoint, String data, List<String> classNames,
      EvalResult result) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("run", runDir.toString());
    report.put("checkpoint", checkpoint);
    report.put("data", data);
    report.put("images", result.count());
    report.put("test_acc", result.accuracy());
    report.put("test_loss", result.loss());
    Map<String, Double> perClass = new LinkedHashMap<>();
    double[] accuracy = result.perClassAccuracy();
    for (int c = 0; c < accuracy.length; c++) {
      perClass.put(classNames.get(c), accuracy[c]);
    }
    report.put("per_class_acc", perClass);
    report.put("class_names", classNames);
    report.put("confusion", result.confusion());
    return report;
  }

  /** The confusion matrix of an earlier evaluation on {@code data}, or null when there is none for it. */
  public static long[][] readConfusion(Path runDir, String checkpoint, String data) {
    Path file = file(runDir, checkpoint);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      JsonNode root = Json.PRETTY.readTree(file.toFile());
      if (!data.equals(root.path("data").asText()) || !root.path("confusion").isArray()) {
        return null;
      }
      JsonNode rows = root.get("confusion");
      long[][] confusion = new long[rows.size()][];
      for (int r = 0; r < rows.size(); r++) {
        confusion[r] = new long[rows.get(r).size()];
        for (int c = 0; c < confusion[r].length; c++) {
          confusion[r][c] = rows.get(r).get(c).asLong();
        }
      }
      return confusion;
    } catch (IOException e) {
      return null; // unreadable: evaluate again and overwrite it
    }
  }
}

package dev.vprompt.train.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A peer benchmark's results: the {@code RESULT key=value ...} lines of the DJL PyTorch and raw
 * TensorFlow harnesses ({@code task=train|infer model=... input=HxWxC batch=... images_per_s=...}).
 * Other lines are ignored; a file without one RESULT line is rejected.
 */
public final class PeerResults {

  /** One RESULT line's fields. */
  public record Line(Map<String, String> fields) {
    String get(String key) {
      return fields.getOrDefault(key, "");
    }
  }

  private final Path file;
  private final List<Line> lines;

  private PeerResults(Path file, List<Line> lines) {
    this.file = file;
    this.lines = lines;
  }

  public static PeerResults read(Path file) {
    List<String> text;
    try {
      text = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("peer results file not found: " + file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the peer results file " + file + ": " + e.getMessage());
    }
    List<Line> lines = new ArrayList<>();
    for (String row : text) {
      if (!row.startsWith("RESULT ")) {
        continue;
      }
      Map<String, String> fields = new HashMap<>();
      for (String token : row.substring(7).trim().split("\\s+")) {
        int eq = token.indexOf('=');
        if (eq > 0) {
          fields.put(token.substring(0, eq), token.substring(eq + 1));
        }
      }
      lines.add(new Line(fields));
    }
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("no RESULT lines in the peer results file " + file);
    }
    return new PeerResults(file, lines);
  }

  /** The harnesses' name for a vprompt backbone (their small CNN is vprompt's {@code cnn}). */
  static String peerModel(String backbone) {
    return backbone.equals("cnn") ? "simple" : backbone;
  }

  /**
   * The peer's images/s for a task, backbone, input and batch; the median when the file holds several
   * runs of it (run the harness a few times into one file); empty when it holds none.
   */
  public OptionalDouble imagesPerSecond(String task, String backbone, String input, int batch) {
    List<Double> values = new ArrayList<>();
    for (Line line : lines) {
      if (line.get("task").equals(task) && line.get("model").equals(peerModel(backbone))
          && line.get("input").equals(input) && line.get("batch").equals(Integer.toString(batch))) {
        try {
          values.add(Double.parseDouble(line.get("images_per_s")));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("bad images_per_s '" + line.get("images_per_s") + "' in " + file);
        }
      }
    }
    if (values.isEmpty()) {
      return OptionalDouble.empty();
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return OptionalDouble.of(Benchmark.median(sorted));
  }

  public Path file() {
    return file;
  }
}

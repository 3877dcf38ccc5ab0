package dev.vprompt.export.inspect;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** An {@link Inspection} as text for a terminal. */
public final class InspectionText {

  private InspectionText() {}

  public static String format(Inspection in) {
    StringBuilder out = new StringBuilder();
    out.append("SavedModel ").append(in.path()).append('\n');
    out.append("tags: ").append(in.tagSets().stream().map(t -> "[" + String.join(", ", t) + "]")
        .collect(Collectors.joining(" "))).append('\n');
    for (SignatureInfo s : in.signatures()) {
      out.append("signature ").append(s.key()).append(" (").append(s.methodName().isEmpty() ? "no method name"
          : s.methodName()).append(")\n");
      int width = java.util.stream.Stream.concat(s.inputs().stream(), s.outputs().stream())
          .mapToInt(t -> t.key().length()).max().orElse(0);
      tensors(out, "in ", s.inputs(), width);
      tensors(out, "out", s.outputs(), width);
    }
    out.append(String.format(Locale.ROOT, "graph: %d nodes, %d library functions%n", in.nodes(), in.functions()));
    out.append("ops: ").append(histogram(in.ops())).append('\n');
    VariableSummary v = in.variables();
    out.append(String.format(Locale.ROOT, "variables: %d, %,d values, %s", v.count(), v.values(), size(v.bytes())));
    if (v.savedTensors() >= 0) {
      out.append(String.format(Locale.ROOT, " (variables/: %d tensors, %s)", v.savedTensors(), size(v.savedBytes())));
    }
    out.append('\n');
    if (in.assets().isEmpty()) {
      out.append("assets: none\n");
    }
    for (AssetInfo a : in.assets()) {
      out.append("asset: assets/").append(a.filename()).append(a.bytes() < 0 ? " (missing)" : " (" + a.bytes()
          + " bytes)").append(", fed through ").append(a.tensor()).append('\n');
    }
    if (in.warmup().isEmpty()) {
      out.append("warm-up requests: none\n");
    } else {
      out.append("warm-up requests: ").append(in.warmup().size()).append(" in assets.extra/tf_serving_warmup_requests\n");
      in.warmup().forEach(line -> out.append("  ").append(line).append('\n'));
    }
    if (in.clean()) {
      out.append("findings: none (servable, inference only)\n");
    } else {
      out.append("findings: ").append(in.findings().size()).append('\n');
      in.findings().forEach(f -> out.append("  ").append(f).append('\n'));
    }
    return out.toString();
  }

  private static void tensors(StringBuilder out, String direction, List<TensorSpec> tensors, int width) {
    for (TensorSpec t : tensors) {
      out.append(String.format(Locale.ROOT, "  %s %-" + width + "s  %-7s %-18s %s%n", direction, t.key(), t.dtype(),
          t.shape(), t.tensor()));
    }
  }

  /** Most frequent first. */
  private static String histogram(Map<String, Integer> ops) {
    return ops.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining(", "));
  }

  private static String size(long bytes) {
    if (bytes < 1_000) {
      return bytes + " B";
    }
    return bytes < 1_000_000 ? String.format(Locale.ROOT, "%.1f kB", bytes / 1e3)
        : String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
  }
}

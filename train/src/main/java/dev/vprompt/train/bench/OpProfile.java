package dev.vprompt.train.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;

/**
 * Where a graph's time goes, from TensorFlow's own step statistics ({@code RunOptions} {@code
 * FULL_TRACE}, {@code RunMetadata.step_stats}): each kernel's run time summed by op type over traced
 * runs. The op types are those that actually ran, after Grappler's rewrites (oneDNN kernels show as
 * {@code _MklConv2D}, {@code _MklFusedBatchNormV3}, ...; a plain {@code Conv2D} ran in Eigen). Kernels on
 * two threads overlap, so the summed time can exceed the wall time: the shares are of the summed time.
 */
public final class OpProfile {

  /** One op type's summed kernel time, its kernel count per run and its share of all kernel time. */
  public record OpTime(String opType, double millisPerRun, double kernelsPerRun, double share) {}

  private final Map<String, long[]> nanosAndCounts = new HashMap<>();
  private int runs;
  private long wallNanos;

  /** Adds one traced run and the wall time it took (as measured by the caller). */
  public void add(RunMetadata metadata, long runWallNanos) {
    runs++;
    wallNanos += runWallNanos;
    for (DeviceStepStats device : metadata.getStepStats().getDevStatsList()) {
      for (NodeExecStats node : device.getNodeStatsList()) {
        long nanos = node.getAllEndRelNanos() > 0 ? node.getAllEndRelNanos() : 1000 * node.getAllEndRelMicros();
        long[] entry = nanosAndCounts.computeIfAbsent(opType(node), k -> new long[2]);
        entry[0] += nanos;
        entry[1]++;
      }
    }
  }

  /**
   * The op type from a timeline label {@code "name = Type(inputs)"}; the node name when there is none
   * ({@code _SOURCE}, and the executor's own entries).
   */
  static String opType(NodeExecStats node) {
    String label = node.getTimelineLabel();
    int eq = label.indexOf(" = ");
    if (eq < 0) {
      return node.getNodeName();
    }
    int paren = label.indexOf('(', eq);
    return label.substring(eq + 3, paren < 0 ? label.length() : paren).trim();
  }

  public int runs() {
    return runs;
  }

  /** The wall time of one traced run, in milliseconds (tracing itself slows a run down a little). */
  public double wallMillisPerRun() {
    return runs == 0 ? 0 : wallNanos / 1e6 / runs;
  }

  /** The summed kernel time of one run, in milliseconds. */
  public double kernelMillisPerRun() {
    long total = 0;
    for (long[] entry : nanosAndCounts.values()) {
      total += entry[0];
    }
    return runs == 0 ? 0 : total / 1e6 / runs;
  }

  /** Every op type, the most expensive first. */
  public List<OpTime> byOpType() {
    double total = kernelMillisPerRun() * runs;
    List<OpTime> times = new ArrayList<>();
    nanosAndCounts.forEach((type, entry) -> times.add(new OpTime(type, entry[0] / 1e6 / runs,
        (double) entry[1] / runs, total > 0 ? entry[0] / 1e6 / total : 0)));
    times.sort(Comparator.comparingDouble(OpTime::millisPerRun).reversed().thenComparing(OpTime::opType));
    return times;
  }
}

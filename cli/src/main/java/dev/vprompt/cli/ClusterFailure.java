package dev.vprompt.cli;

import dev.vprompt.ops.placement.ClusterSpec;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns TensorFlow's error from a step on a cluster (gRPC "unavailable", "deadline exceeded", a worker
 * restarted) into one line naming the task and its address, and what to do next.
 */
final class ClusterFailure {
  private static final Pattern TASK = Pattern.compile("/job:([a-z][a-z0-9_]*)/replica:\\d+/task:(\\d+)");

  private ClusterFailure() {}

  static RuntimeException explain(RuntimeException e, ClusterSpec cluster, Path runDir) {
    String message = String.valueOf(e.getMessage());
    String task = null;
    Matcher m = TASK.matcher(message);
    if (m.find()) {
      String job = m.group(1);
      int index = Integer.parseInt(m.group(2));
      if (cluster.jobs().containsKey(job) && index < cluster.jobs().get(job).size()) {
        task = "/job:" + job + "/task:" + index + " (" + cluster.address(job, index) + ")";
      }
    }
    String down = cluster.firstUnreachable(1000);
    if (down != null) {
      task = down;
    }
    if (task == null) {
      return e;
    }
    String reason = message.replaceAll("\\s+", " ").trim();
    if (reason.length() > 240) {
      reason = reason.substring(0, 240) + "...";
    }
    return new IllegalStateException("task " + task + " failed or is unreachable (TensorFlow: " + reason + "); "
        + (runDir == null ? "the run's checkpoints/last" : runDir.resolve("checkpoints").resolve("last"))
        + " holds the last finished epoch: restart the task and rerun with --resume", e);
  }
}

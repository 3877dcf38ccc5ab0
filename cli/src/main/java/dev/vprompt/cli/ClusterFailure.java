package dev.vprompt.cli;

import dev.vprompt.ops.placement.ClusterSpec;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns TensorFlow's error from a step on a cluster (gRPC "unavailable", "deadline exceeded", a worker
 * restarted) into one line naming the task and its address, and what to do next; and the master's "session
 * not found" (another client cleared the cluster) into one line saying so.
 */
final class ClusterFailure {
  private static final Pattern TASK = Pattern.compile("/job:([a-z][a-z0-9_]*)/replica:\\d+/task:(\\d+)");

  /**
   * The master's answers once another client's reset closed this client's session: to the next step (the
   * session is gone; also after a restart of the master) and to a step in flight then (this client never
   * closes its session while it runs one).
   */
  private static final Pattern LOST_SESSION =
      Pattern.compile("Session \\S+ is not found|cancelled by an explicit call to `Session::Close\\(\\)`");

  private ClusterFailure() {}

  private static String lastCheckpoint(Path runDir) {
    return runDir == null ? "the run's checkpoints/last" : runDir.resolve("checkpoints").resolve("last").toString();
  }

  static RuntimeException explain(RuntimeException e, ClusterSpec cluster, Path runDir) {
    String message = String.valueOf(e.getMessage());
    if (LOST_SESSION.matcher(message).find() && cluster.firstUnreachable(1000) == null) {
      return new IllegalStateException("the cluster's master " + cluster.masterTarget() + " no longer has this "
          + "client's session: another client started on the same cluster (its start clears every task and closes "
          + "the master's sessions; one client per cluster at a time) or worker task 0 restarted; "
          + lastCheckpoint(runDir) + " holds the last finished epoch: rerun with --resume when the cluster is free", e);
    }
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
        + lastCheckpoint(runDir) + " holds the last finished epoch: restart the task and rerun with --resume", e);
  }
}

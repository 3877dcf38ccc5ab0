package dev.vprompt.cli;

import dev.vprompt.ops.placement.ClusterSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tensorflow.Server;
import org.tensorflow.proto.ServerDef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vprompt worker}: one task of a TensorFlow cluster, serving until stopped. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Starts TensorFlow's gRPC server for one task of a cluster and serves until stopped (or until "
          + "--max-seconds). 'vprompt train --cluster FILE' then builds one tower per worker, keeps a "
          + "resident copy of the training split on each, and drives every step from one client.",
      "",
      "TensorFlow's server listens on every interface at the task's port and has no authentication: "
          + "run it only on a trusted network. See docs/distributed.md."
    })
final class WorkerCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--cluster", required = true, paramLabel = "FILE", description = "The cluster, as TF_CONFIG's \"cluster\": {\"worker\": [\"host:port\", ...]}, optionally with \"ps\".")
  Path cluster;

  @Option(names = "--task", required = true, paramLabel = "N", description = "This task's index in its job.")
  int task;

  @Option(names = "--job", defaultValue = "worker", paramLabel = "NAME", description = "This task's job: worker or ps (default: ${DEFAULT-VALUE}).")
  String job;

  @Option(names = "--max-seconds", defaultValue = "0", paramLabel = "S", description = "Stop after this many seconds; 0 serves until killed (default: ${DEFAULT-VALUE}).")
  long maxSeconds;

  @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "TensorFlow intra-op threads of this task; 0 uses every core (default: ${DEFAULT-VALUE}).")
  int threads;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (maxSeconds < 0) {
      throw new IllegalArgumentException("--max-seconds must not be negative, got " + maxSeconds);
    }
    ClusterSpec clusterSpec = PlacementOptions.readCluster(cluster);
    ServerDef serverDef;
    try {
      serverDef = clusterSpec.serverDef(job, task);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the cluster file " + cluster + ": " + e.getMessage());
    }
    if (threads < 0) {
      throw new IllegalArgumentException("--threads must not be negative, got " + threads);
    }
    if (threads > 0) {
      serverDef = serverDef.toBuilder().setDefaultSessionConfig(org.tensorflow.proto.ConfigProto.newBuilder()
          .setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(Math.max(2, threads))).build();
    }
    String address = clusterSpec.address(job, task);
    try (Server server = new Server(serverDef)) {
      server.start();
      out.printf(Locale.ROOT, "vprompt worker: /job:%s/task:%d serving at %s (%d task(s) in the cluster)%n", job,
          task, address, clusterSpec.jobs().values().stream().mapToInt(java.util.List::size).sum());
      out.flush();
      if (maxSeconds > 0) {
        Thread.sleep(maxSeconds * 1000);
        out.printf(Locale.ROOT, "vprompt worker: /job:%s/task:%d stopping after %d s%n", job, task, maxSeconds);
        server.stop();
      } else {
        server.join();
      }
    }
    return 0;
  }
}

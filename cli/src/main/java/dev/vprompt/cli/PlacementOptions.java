package dev.vprompt.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vprompt.ops.Devices;
import dev.vprompt.ops.placement.ClusterSpec;
import dev.vprompt.ops.placement.DeviceLayout;
import dev.vprompt.ops.placement.SessionSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where training runs: one device, data-parallel towers, or the workers of a TensorFlow cluster. */
final class PlacementOptions {

  @Option(names = "--devices", paramLabel = "N|LIST", description = "Data-parallel towers: N (GPUs 0..N-1 when there are that many, else N virtual CPU devices) or a list such as gpu:0,gpu:1. The --batch-size is the global batch, split across the towers; gradients are averaged in the graph and applied once. Checkpoints and exports are the same as one device's.")
  String devices;

  @Option(names = "--device", paramLabel = "DEVICE", description = "Pin the step to one device (cpu:0, gpu:1); default: TensorFlow's placer (the first GPU if there is one).")
  String device;

  @Option(names = "--cluster", paramLabel = "FILE", description = "Train on the workers of a TensorFlow cluster (JSON as TF_CONFIG's \"cluster\": {\"worker\": [\"host:port\", ...]}, optionally \"ps\"), each started with 'vprompt worker'. One tower per worker; variables on ps task 0, else worker task 0; the client talks to worker task 0. Each run clears the variables the tasks hold when it starts and when it ends, and closes any other client's session: one client per cluster at a time.")
  Path cluster;

  @Option(names = "--sync-bn", description = "With --devices N > 1 or --cluster: batch-norm normalises with the moments of the whole global batch, summed over the towers in the graph (PyTorch's SyncBatchNorm), so N towers train as one device would. Default: each tower normalises with its own share of the batch (PyTorch's DataParallel).")
  boolean syncBatchNorm;

  @Option(names = "--worker-data", paramLabel = "sharded|replicated", description = "How the towers hold the training split. sharded: the split is cut once into one fixed shard per tower (stratified by class) and each tower holds only its shard, so a worker's memory for the training images falls to about 1/N; each epoch every shard is shuffled and each batch takes each tower's share from its shard, an order that differs from one device's shuffle (and under mixup a tower mixes only its own rows). replicated: every tower holds the whole split and each epoch is one global shuffle, exactly one device's order. Default: sharded with --cluster, replicated otherwise. A run resumes in its own mode, and sharded only on as many towers.")
  String workerData;

  @Option(names = "--operation-timeout", paramLabel = "SECONDS", defaultValue = "120", description = "With --cluster: how long one step may wait for the workers before failing (default: ${DEFAULT-VALUE}).")
  int operationTimeoutSeconds;

  @Option(names = "--allow-growth", description = "GPU memory is allocated as needed rather than all at once (TensorFlow's allow_growth).")
  boolean allowGrowth;

  @Option(names = "--mixed-precision", description = "Grappler's automatic mixed precision rewrite (float16 on GPUs with tensor cores; no effect on CPU). Not measured on this project's machines.")
  boolean mixedPrecision;

  /** The session this command line asks for; bad combinations and files are bad input. */
  SessionSpec sessionSpec() {
    int given = (devices != null ? 1 : 0) + (device != null ? 1 : 0) + (cluster != null ? 1 : 0);
    if (given > 1) {
      throw new IllegalArgumentException("give at most one of --devices, --device and --cluster");
    }
    if (operationTimeoutSeconds < 1) {
      throw new IllegalArgumentException("--operation-timeout must be at least 1 second, got " + operationTimeoutSeconds);
    }
    SessionSpec spec;
    if (cluster != null) {
      ClusterSpec clusterSpec = readCluster(cluster);
      spec = new SessionSpec(clusterSpec.layout(), false, false, clusterSpec.masterTarget(),
          operationTimeoutSeconds * 1000L);
    } else if (devices != null || device != null) {
      List<DeviceLayout.Device> list = devices != null
          ? DeviceLayout.parseDevices(devices, devices.trim().matches("\\d+") ? Devices.gpuCount() : 0)
          : List.of(DeviceLayout.Device.parse(device));
      spec = SessionSpec.local(list.size() == 1 && devices != null && devices.trim().equals("1")
          ? DeviceLayout.SINGLE : DeviceLayout.towers(list, false));
    } else {
      spec = SessionSpec.LOCAL;
    }
    if (syncBatchNorm) {
      if (spec.layout().towerCount() < 2) {
        throw new IllegalArgumentException("--sync-bn synchronises batch-norm across towers: give --devices N (N > 1) "
            + "or --cluster");
      }
      spec = spec.withLayout(spec.layout().withSyncBatchNorm(true));
    }
    return spec.withOptions(allowGrowth, mixedPrecision);
  }

  /** The worker-data mode asked for, validated; null when not given (the run's default or its own). */
  String workerData() {
    return workerData == null ? null : dev.vprompt.core.run.WorkerData.parseMode(workerData);
  }

  ClusterSpec clusterSpec() {
    return cluster == null ? null : readCluster(cluster);
  }

  static ClusterSpec readCluster(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the cluster file " + file + ": " + e.getMessage());
    }
    Map<String, List<String>> jobs;
    try {
      jobs = new ObjectMapper().readValue(text, new TypeReference<Map<String, List<String>>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the cluster file " + file + " is not {\"worker\": [\"host:port\", ...]}: "
          + e.getOriginalMessage());
    }
    if (jobs == null) {
      throw new IllegalArgumentException("the cluster file " + file + " is empty");
    }
    try {
      return new ClusterSpec(jobs);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the cluster file " + file + ": " + e.getMessage());
    }
  }
}

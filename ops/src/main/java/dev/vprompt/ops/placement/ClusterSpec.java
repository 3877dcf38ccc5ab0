package dev.vprompt.ops.placement;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.proto.ClusterDef;
import org.tensorflow.proto.JobDef;
import org.tensorflow.proto.ServerDef;

/**
 * A TensorFlow cluster: job names to task addresses ({@code host:port}), as TF_CONFIG's {@code cluster}
 * writes it, e.g. {@code {"worker": ["127.0.0.1:2222", "127.0.0.1:2223"]}}, optionally with {@code ps}.
 * Towers run on the {@code worker} tasks; the variables on {@code ps} task 0 if there is one, else on
 * worker task 0, whose server is also the master the client talks to.
 */
public record ClusterSpec(Map<String, List<String>> jobs) {

  public static final String WORKER = "worker";
  public static final String PS = "ps";
  private static final Pattern JOB = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern ADDRESS = Pattern.compile("(\\[[0-9a-fA-F:]+\\]|[A-Za-z0-9.\\-]+):(\\d{1,5})");

  public ClusterSpec {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    if (jobs.get(WORKER) == null || jobs.get(WORKER).isEmpty()) {
      throw new IllegalArgumentException("the cluster has no \"worker\" job with at least one address");
    }
    List<String> seen = new ArrayList<>();
    for (Map.Entry<String, List<String>> job : jobs.entrySet()) {
      if (!JOB.matcher(job.getKey()).matches()) {
        throw new IllegalArgumentException("invalid job name '" + job.getKey() + "'");
      }
      List<String> addresses = List.copyOf(job.getValue());
      for (int task = 0; task < addresses.size(); task++) {
        String address = addresses.get(task);
        port(address, job.getKey(), task);
        if (seen.contains(address)) {
          throw new IllegalArgumentException("the address " + address + " is given to two tasks");
        }
        seen.add(address);
      }
      copy.put(job.getKey(), addresses);
    }
    jobs = java.util.Collections.unmodifiableMap(copy);
  }

  private static int port(String address, String job, int task) {
    Matcher m = ADDRESS.matcher(address == null ? "" : address);
    if (!m.matches()) {
      throw new IllegalArgumentException("the address '" + address + "' of /job:" + job + "/task:" + task
          + " is not host:port");
    }
    int port = Integer.parseInt(m.group(2));
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("the port of " + address + " (/job:" + job + "/task:" + task
          + ") is not in 1..65535");
    }
    return port;
  }

  public int workers() {
    return jobs.get(WORKER).size();
  }

  public String address(String job, int task) {
    List<String> tasks = jobs.get(job);
    if (tasks == null) {
      throw new IllegalArgumentException("the cluster has no job '" + job + "'; it has " + jobs.keySet());
    }
    if (task < 0 || task >= tasks.size()) {
      throw new IllegalArgumentException("task " + task + " is out of range: job '" + job + "' has "
          + tasks.size() + " task" + (tasks.size() == 1 ? "" : "s") + " (0.." + (tasks.size() - 1) + ")");
    }
    return tasks.get(task);
  }

  /** The master a client session talks to: worker task 0. */
  public String masterTarget() {
    return "grpc://" + address(WORKER, 0);
  }

  /** Where variables and the optimizer live: ps task 0 if there is a ps job, else worker task 0. */
  public DeviceLayout.Device variableDevice() {
    return jobs.containsKey(PS) && !jobs.get(PS).isEmpty() ? DeviceLayout.Device.task(PS, 0)
        : DeviceLayout.Device.task(WORKER, 0);
  }

  /** One tower per worker task, each on its task's CPU with its own resident copy of the training split. */
  public DeviceLayout layout() {
    List<DeviceLayout.Device> towers = new ArrayList<>();
    for (int k = 0; k < workers(); k++) {
      towers.add(DeviceLayout.Device.task(WORKER, k));
    }
    return new DeviceLayout(towers, variableDevice(), true, false);
  }

  public ClusterDef clusterDef() {
    ClusterDef.Builder cluster = ClusterDef.newBuilder();
    for (Map.Entry<String, List<String>> job : jobs.entrySet()) {
      JobDef.Builder def = JobDef.newBuilder().setName(job.getKey());
      for (int task = 0; task < job.getValue().size(); task++) {
        def.putTasks(task, job.getValue().get(task));
      }
      cluster.addJob(def);
    }
    return cluster.build();
  }

  /**
   * The server definition of one task, after checking that the task exists, that its host is an address
   * of this machine and that its port is free: TensorFlow reports neither clearly.
   */
  public ServerDef serverDef(String job, int task) {
    String address = address(job, task);
    int port = port(address, job, task);
    String host = address.substring(0, address.lastIndexOf(':')).replace("[", "").replace("]", "");
    try {
      InetAddress ip = InetAddress.getByName(host);
      if (!ip.isLoopbackAddress() && !ip.isAnyLocalAddress() && NetworkInterface.getByInetAddress(ip) == null) {
        throw new IllegalArgumentException("the address " + address + " of /job:" + job + "/task:" + task
            + " is not one of this machine's: start each task on the host its address names");
      }
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("the host of " + address + " (/job:" + job + "/task:" + task
          + ") does not resolve");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot check the address " + address + ": " + e.getMessage());
    }
    // TensorFlow's gRPC server listens on every interface at the task's port
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(port));
    } catch (IOException e) {
      throw new IllegalArgumentException("port " + port + " of /job:" + job + "/task:" + task + " (" + address
          + ") is in use: " + e.getMessage());
    }
    return ServerDef.newBuilder().setCluster(clusterDef()).setJobName(job).setTaskIndex(task)
        .setProtocol("grpc").build();
  }

  /** The first task that does not accept a TCP connection within the timeout, or null if all do. */
  public String firstUnreachable(int timeoutMs) {
    for (Map.Entry<String, List<String>> job : jobs.entrySet()) {
      for (int task = 0; task < job.getValue().size(); task++) {
        String address = job.getValue().get(task);
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon).replace("[", "").replace("]", "");
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress(host, Integer.parseInt(address.substring(colon + 1))), timeoutMs);
        } catch (IOException e) {
          return "/job:" + job.getKey() + "/task:" + task + " (" + address + ")";
        }
      }
    }
    return null;
  }
}

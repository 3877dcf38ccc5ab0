package dev.vprompt.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code vprompt worker} processes on free 127.0.0.1 ports, one cluster file for them, each with a log in
 * the given directory; closing kills them. As DistributedTrainingTest starts its workers (the same command
 * line), in a class of its own so tests of other cluster behaviour can share it.
 */
final class LoopbackWorkers implements AutoCloseable {
  private final Path dir;
  private final Path cluster;
  private final List<Integer> ports;
  private final int maxSeconds;
  private final List<Process> processes = new ArrayList<>();

  private LoopbackWorkers(Path dir, Path cluster, List<Integer> ports, int maxSeconds) {
    this.dir = dir;
    this.cluster = cluster;
    this.ports = List.copyOf(ports);
    this.maxSeconds = maxSeconds;
  }

  /** Starts {@code count} workers that stop by themselves after {@code maxSeconds}, and waits until each serves. */
  static LoopbackWorkers start(Path dir, int count, int maxSeconds) throws Exception {
    Files.createDirectories(dir);
    List<Integer> ports = new ArrayList<>();
    List<String> addresses = new ArrayList<>();
    for (int task = 0; task < count; task++) {
      ports.add(freePort());
      addresses.add("\"127.0.0.1:" + ports.get(task) + "\"");
    }
    Path cluster = dir.resolve("cluster.json");
    Files.writeString(cluster, "{\"worker\": [" + String.join(", ", addresses) + "]}");
    LoopbackWorkers workers = new LoopbackWorkers(dir, cluster, ports, maxSeconds);
    try {
      for (int task = 0; task < count; task++) {
        workers.processes.add(workers.startWorker(task));
      }
      for (int task = 0; task < count; task++) {
        workers.awaitServing(task);
      }
      return workers;
    } catch (Exception | AssertionError e) {
      workers.close();
      throw e;
    }
  }

  Path cluster() {
    return cluster;
  }

  int port(int task) {
    return ports.get(task);
  }

  Process process(int task) {
    return processes.get(task);
  }

  /** Starts task's worker again (after it was killed) and waits until it serves. */
  void restart(int task) throws Exception {
    processes.get(task).destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    processes.set(task, startWorker(task));
    awaitServing(task);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private Process startWorker(int task) throws IOException {
    Files.deleteIfExists(log(task));
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Dorg.bytedeco.javacpp.maxBytes=0",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "worker", "--cluster", cluster.toString(),
        "--task", Integer.toString(task), "--max-seconds", Integer.toString(maxSeconds));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(task).toFile()).start();
  }

  private Path log(int task) {
    return dir.resolve("worker" + task + ".log");
  }

  private void awaitServing(int task) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log(task)) && Files.readString(log(task)).contains("serving at")) {
        return;
      }
      if (!processes.get(task).isAlive()) {
        break;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("worker " + task + " did not start: "
        + (Files.exists(log(task)) ? Files.readString(log(task)) : "no log"));
  }

  @Override
  public void close() throws InterruptedException {
    for (Process process : processes) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}

package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel towers from the CLI, in process and on two worker processes on 127.0.0.1 (TensorFlow's
 * gRPC runtime), including a worker killed mid-epoch and the run resumed after its restart. The cluster
 * holds the training split sharded (its default), each worker only its shard.
 */
class DistributedTrainingTest {

  @TempDir Path temp;

  @Test
  void twoWorkersTrainAsTwoTowersInOneProcessAndSurviveAKilledWorker() throws Exception {
    // 300 train / 100 test images, of which 20 per class train: 180 train, 20 validation, 12 steps an epoch
    String[] common = {"--data", TinyData.write(temp.resolve("data")), "--epochs", "2", "--batch-size", "16",
        "--train-per-class", "20", "--threads", "1", "--backbone", "cnn", "--prompt", "msvp",
        "--operation-timeout", "15"};
    Path local = temp.resolve("local");
    CliRun towers = CliRun.of(concat(new String[] {"train", "--out", local.toString(), "--devices", "2",
        "--worker-data", "sharded"}, without(common, "--operation-timeout")));
    assertEquals(0, towers.exitCode(), towers.out() + towers.err());
    assertTrue(towers.out().contains("towers: [cpu:0, cpu:1]"), towers.out());
    int[] shardRows = dev.vprompt.train.trainer.RowOrder.shardSizes(180, 16, 2);
    String sharded = "worker data: sharded over 2 towers, rows " + java.util.Arrays.toString(shardRows);
    assertTrue(towers.out().contains(sharded), towers.out());
    List<JsonNode> localMetrics = metrics(local);
    assertTrue(localMetrics.get(1).get("train_loss").asDouble() < localMetrics.get(0).get("train_loss").asDouble(),
        "the loss falls: " + localMetrics);

    try (LoopbackWorkers workers = LoopbackWorkers.start(temp, 2, 240)) {
      Path cluster = workers.cluster();
      Path remote = temp.resolve("remote");
      CliRun onWorkers = CliRun.of(concat(new String[] {"train", "--out", remote.toString(), "--cluster", cluster.toString()}, common));
      assertEquals(0, onWorkers.exitCode(), onWorkers.out() + onWorkers.err());
      assertTrue(onWorkers.out().contains(sharded), "sharded by default on a cluster: " + onWorkers.out());
      // the graph's resident variables: each worker its shard only; validation and test rows on task 0
      assertEquals("train_shard1 " + shardRows[1] + " rows", residentOn(onWorkers.out(), "/job:worker/task:1"));
      assertEquals(List.of("val 20 rows", "test 100 rows", "train_shard0 " + shardRows[0] + " rows"),
          List.of(residentOn(onWorkers.out(), "/job:worker/task:0").split(", ")));
      JsonNode workerData = new ObjectMapper().readTree(remote.resolve("config.json").toFile()).get("worker_data");
      assertEquals("sharded", workerData.get("mode").asText());
      assertEquals(shardRows[0] + shardRows[1], workerData.get("shard_rows").get(0).asInt()
          + workerData.get("shard_rows").get(1).asInt());
      assertSameRun(local, remote);

      // SIGKILL worker 1 as soon as epoch 1 is checkpointed: the client fails within the operation timeout
      Path killed = temp.resolve("killed");
      Thread killer = new Thread(() -> killAfterFirstEpoch(killed, workers.process(1)));
      killer.start();
      long start = System.nanoTime();
      CliRun failed = CliRun.of(concat(new String[] {"train", "--out", killed.toString(), "--cluster", cluster.toString()}, common));
      double seconds = (System.nanoTime() - start) / 1e9;
      killer.join();
      assertEquals(Main.EXIT_FAILURE, failed.exitCode(), failed.out() + failed.err());
      assertTrue(failed.err().contains("/job:worker/task:1 (127.0.0.1:" + workers.port(1) + ")"), failed.err());
      assertTrue(failed.err().contains("--resume"), failed.err());
      assertTrue(seconds < 90, "failed after " + seconds + " s");
      assertEquals(1, Files.readAllLines(killed.resolve("metrics.jsonl")).size());
      assertEquals(1, new ObjectMapper().readTree(killed.resolve("checkpoints/last/state.json").toFile())
          .get("epochs_done").asInt(), "checkpoints/last is intact and holds epoch 1");

      // a sharded run's order depends on its shards: another tower count or mode is refused, nothing changed
      CliRun threeTowers = CliRun.of("train", "--resume", "--out", killed.toString(), "--devices", "3");
      assertEquals(Main.EXIT_BAD_INPUT, threeTowers.exitCode(), threeTowers.err());
      assertTrue(threeTowers.err().contains("sharded over 2 towers") && threeTowers.err().contains("not 3"),
          threeTowers.err());
      CliRun replicated = CliRun.of("train", "--resume", "--out", killed.toString(), "--devices", "2",
          "--worker-data", "replicated");
      assertEquals(Main.EXIT_BAD_INPUT, replicated.exitCode(), replicated.err());
      assertTrue(replicated.err().contains("trains with sharded worker data"), replicated.err());
      assertEquals(1, Files.readAllLines(killed.resolve("metrics.jsonl")).size());

      workers.restart(1);
      CliRun resumed = CliRun.of("train", "--resume", "--out", killed.toString(), "--cluster", cluster.toString(),
          "--operation-timeout", "15");
      assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
      assertSameRun(remote, killed);
    }
  }

  @Test
  void badClusterFilesExitWithTwo() throws Exception {
    int port = LoopbackWorkers.freePort();
    Path outOfRange = write("range.json", "{\"worker\": [\"127.0.0.1:" + port + "\"]}");
    CliRun range = CliRun.of("worker", "--cluster", outOfRange.toString(), "--task", "3");
    assertEquals(Main.EXIT_BAD_INPUT, range.exitCode(), range.err());
    assertTrue(range.err().contains("task 3 is out of range"), range.err());

    // 192.0.2.1 is TEST-NET-1: never this machine's; nothing is sent to it
    Path foreign = write("foreign.json", "{\"worker\": [\"192.0.2.1:" + port + "\"]}");
    CliRun wrongHost = CliRun.of("worker", "--cluster", foreign.toString(), "--task", "0");
    assertEquals(Main.EXIT_BAD_INPUT, wrongHost.exitCode(), wrongHost.err());
    assertTrue(wrongHost.err().contains("is not one of this machine's"), wrongHost.err());

    Path malformed = write("malformed.json", "{\"worker\": [\"127.0.0.1\"]}");
    CliRun noPort = CliRun.of("worker", "--cluster", malformed.toString(), "--task", "0");
    assertEquals(Main.EXIT_BAD_INPUT, noPort.exitCode(), noPort.err());
    assertTrue(noPort.err().contains("is not host:port") && noPort.err().contains(malformed.toString()), noPort.err());

    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path busy = write("busy.json", "{\"worker\": [\"127.0.0.1:" + taken.getLocalPort() + "\"]}");
      CliRun inUse = CliRun.of("worker", "--cluster", busy.toString(), "--task", "0");
      assertEquals(Main.EXIT_BAD_INPUT, inUse.exitCode(), inUse.err());
      assertTrue(inUse.err().contains("port " + taken.getLocalPort() + " of /job:worker/task:0") && inUse.err().contains("in use"),
          inUse.err());
    }

    Path nobody = write("nobody.json", "{\"worker\": [\"127.0.0.1:" + LoopbackWorkers.freePort() + "\"]}");
    CliRun unreachable = CliRun.of("train", "--out", temp.resolve("never").toString(), "--cluster", nobody.toString(),
        "--epochs", "1", "--train-per-class", "5");
    assertEquals(Main.EXIT_BAD_INPUT, unreachable.exitCode(), unreachable.err());
    assertTrue(unreachable.err().contains("does not accept connections"), unreachable.err());
    assertTrue(!Files.exists(temp.resolve("never")), "nothing is left behind");
  }

  @Test
  void syncBatchNormWithoutTowersExitsWithTwo() {
    CliRun alone = CliRun.of("train", "--out", temp.resolve("never").toString(), "--sync-bn", "--epochs", "1");
    assertEquals(Main.EXIT_BAD_INPUT, alone.exitCode(), alone.err());
    assertTrue(alone.err().contains("--sync-bn") && alone.err().contains("--devices"), alone.err());
    assertTrue(!Files.exists(temp.resolve("never")), "nothing is left behind");
  }

  private Path write(String name, String text) throws IOException {
    Path file = temp.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private static void killAfterFirstEpoch(Path run, Process worker) {
    try {
      Path metrics = run.resolve("metrics.jsonl");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (System.nanoTime() < deadline
          && !(Files.exists(metrics) && Files.readAllLines(metrics).size() >= 1
          && Files.exists(run.resolve("checkpoints/last/state.json")))) {
        Thread.sleep(20);
      }
      worker.destroyForcibly().waitFor();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What the client's "resident" line says a task holds, e.g. {@code train_shard1 81 rows}. */
  private static String residentOn(String out, String task) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(task) + ": ([^(;]*) \\(")
        .matcher(out);
    assertTrue(m.find(), task + " in " + out);
    return m.group(1);
  }

  private static List<JsonNode> metrics(Path run) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      lines.add(json.readTree(line));
    }
    return lines;
  }

  /** Same losses per epoch and the same weights, within 1e-5. */
  private static void assertSameRun(Path expected, Path actual) throws IOException {
    List<JsonNode> a = metrics(expected);
    List<JsonNode> b = metrics(actual);
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      for (String key : List.of("train_loss", "val_loss", "train_acc", "val_acc")) {
        assertEquals(a.get(i).get(key).asDouble(), b.get(i).get(key).asDouble(), 1e-5, key + " of epoch " + (i + 1));
      }
    }
    String data = "checkpoints/last/model.data-00000-of-00001";
    ByteBuffer x = ByteBuffer.wrap(Files.readAllBytes(expected.resolve(data))).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer y = ByteBuffer.wrap(Files.readAllBytes(actual.resolve(data))).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(x.capacity(), y.capacity());
    double worst = 0;
    while (x.remaining() >= 4) {
      int bx = x.getInt();
      int by = y.getInt();
      if (bx != by) {
        worst = Math.max(worst, Math.abs(Float.intBitsToFloat(bx) - Float.intBitsToFloat(by)));
      }
    }
    assertTrue(worst <= 1e-5, "largest weight difference " + worst);
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static String[] without(String[] args, String option) {
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(option)) {
        i++;
      } else {
        kept.add(args[i]);
      }
    }
    return kept.toArray(String[]::new);
  }
}

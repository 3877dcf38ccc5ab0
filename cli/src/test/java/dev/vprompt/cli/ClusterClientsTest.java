package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vprompt.ops.placement.ClusterReset;
import dev.vprompt.ops.placement.ClusterSpec;
import dev.vprompt.ops.placement.DeviceLayout;
import dev.vprompt.ops.placement.SessionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TInt32;

/**
 * Clients one after another on the same two {@code vprompt worker} processes: TensorFlow's servers keep
 * variables between client sessions, so each client clears the cluster before it initialises and after
 * it ends; and a client cleared under it by another's start fails with one line saying so.
 */
class ClusterClientsTest {
  /** A resident variable every run has on the variables' task (ResidentImages: data.* names). */
  private static final String TEST_LABELS = "data.test.labels";

  @TempDir Path temp;

  @Test
  @Timeout(400)
  void clientsOneAfterAnotherTrainWhateverTheWorkersHeldBefore() throws Exception {
    String[] common = {"--data", TinyData.write(temp.resolve("data")), "--epochs", "1", "--batch-size", "32",
        "--train-per-class", "3", "--threads", "1", "--backbone", "cnn", "--prompt", "msvp",
        "--operation-timeout", "30"};
    try (LoopbackWorkers workers = LoopbackWorkers.start(temp.resolve("workers"), 2, 300)) {
      Path cluster = workers.cluster();
      SessionSpec master = new SessionSpec(DeviceLayout.SINGLE, false, false,
          PlacementOptions.readCluster(cluster).masterTarget(), 30_000);

      // what a killed client leaves behind: one of the run's variables, of another shape, initialised
      try (Graph graph = new Graph()) {
        Ops tf = onMaster(graph);
        Variable<TInt32> labels = tf.withName(TEST_LABELS).variable(tf.constant(new int[] {7, 7, 7}));
        try (Session session = master.open(graph, 1)) {
          session.initialize();
        }
      }
      assertArrayEquals(new int[] {7, 7, 7}, readTestLabels(master, 3), "the workers keep it after the session");

      // (1) the cnn on all 10 classes: its load of the test labels would fail on the kept [3] variable
      CliRun first = timed("10 classes", concat(new String[] {"train", "--out", temp.resolve("ten").toString(),
          "--cluster", cluster.toString()}, common));
      assertEquals(0, first.exitCode(), first.out() + first.err());
      assertEquals(1, Files.readAllLines(temp.resolve("ten/metrics.jsonl")).size());
      // ... and it cleared the workers when it ended
      RuntimeException gone = assertThrows(RuntimeException.class, () -> readTestLabels(master, 100));
      assertTrue(gone.getMessage().contains("uninitialized"), gone.getMessage());

      // (2) then another model on the same workers: a 3-class head, so head variables of other shapes
      CliRun second = timed("3 classes", concat(new String[] {"train", "--out", temp.resolve("three").toString(),
          "--cluster", cluster.toString(), "--data-classes", "0-2"}, common));
      assertEquals(0, second.exitCode(), second.out() + second.err());
      assertEquals(1, Files.readAllLines(temp.resolve("three/metrics.jsonl")).size());

      // (3) a client that starts while another trains clears the cluster under it (what ClusterReset.clear
      // does at every client's start): the first fails with one line saying so, its checkpoint intact
      Path busy = temp.resolve("busy");
      String[] longer = concat(new String[] {"train", "--out", busy.toString(), "--cluster", cluster.toString()},
          common);
      longer[Arrays.asList(longer).indexOf("--epochs") + 1] = "40";
      CliRun[] interrupted = new CliRun[1];
      Thread firstClient = new Thread(() -> interrupted[0] = CliRun.of(longer));
      firstClient.start();
      Path metrics = busy.resolve("metrics.jsonl");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      Path last = busy.resolve("checkpoints/last/state.json");
      while (System.nanoTime() < deadline && !(Files.exists(metrics) && Files.readAllLines(metrics).size() >= 1
          && Files.exists(last))) {
        Thread.sleep(20);
      }
      ClusterReset.clear(master);
      firstClient.join(120_000);
      assertTrue(interrupted[0] != null, "the first client ended");
      // whether the clear came during a step or between two, the same line
      assertEquals(Main.EXIT_FAILURE, interrupted[0].exitCode(), interrupted[0].out() + interrupted[0].err());
      assertTrue(interrupted[0].err().contains("another client started on the same cluster"), interrupted[0].err());
      assertTrue(new ObjectMapper().readTree(last.toFile()).get("epochs_done").asInt() >= 1, "checkpoints/last intact");
    }
  }

  private static Ops onMaster(Graph graph) {
    return Ops.create(graph).withDevice(DeviceSpec.newBuilder().job(ClusterSpec.WORKER).task(0).build());
  }

  /** data.test.labels as the workers hold it, declared (never initialised) by a client of its own. */
  private static int[] readTestLabels(SessionSpec master, int size) {
    try (Graph graph = new Graph()) {
      Variable<TInt32> labels = onMaster(graph).withName(TEST_LABELS).variable(Shape.of(size), TInt32.class);
      try (Session session = master.open(graph, 1); Result result = session.runner().fetch(labels).run()) {
        TInt32 tensor = (TInt32) result.get(0);
        int[] values = new int[(int) tensor.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = tensor.getInt(i);
        }
        return values;
      }
    }
  }

  private static CliRun timed(String what, String... args) {
    long start = System.nanoTime();
    CliRun run = CliRun.of(args);
    System.out.printf("ClusterClientsTest: client on %s took %.1f s%n", what, (System.nanoTime() - start) / 1e9);
    return run;
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

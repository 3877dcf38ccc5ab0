package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.ops.placement.ClusterSpec;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterFailureTest {

  @Test
  void aSessionTheMasterNoLongerHoldsIsExplainedAsAnotherClient() throws Exception {
    // nobody accepts on these sockets: the backlog holds the probes of firstUnreachable
    try (ServerSocket task0 = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ServerSocket task1 = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      ClusterSpec cluster = new ClusterSpec(Map.of(ClusterSpec.WORKER,
          List.of("127.0.0.1:" + task0.getLocalPort(), "127.0.0.1:" + task1.getLocalPort())));
      // the master's answer to a step of a session a reset closed (seen in ClusterResetTest)
      RuntimeException lost = new RuntimeException("Session 4d79c3a5dc3eb1ab is not found.");
      RuntimeException explained = ClusterFailure.explain(lost, cluster, Path.of("runs", "a"));
      String line = explained.getMessage();
      assertTrue(line.contains("another client started on the same cluster"), line);
      assertTrue(line.contains("grpc://127.0.0.1:" + task0.getLocalPort()), line);
      assertTrue(line.contains(Path.of("runs", "a", "checkpoints", "last").toString()) && line.contains("--resume"), line);

      // and to a step in flight when the reset came (seen in ClusterClientsTest)
      RuntimeException cancelled = new RuntimeException("could not write checkpoint runs/a/model: Step was cancelled "
          + "by an explicit call to `Session::Close()`.");
      assertTrue(ClusterFailure.explain(cancelled, cluster, null).getMessage()
          .contains("another client started on the same cluster"));

      RuntimeException other = new RuntimeException("Invalid argument: something else");
      assertSame(other, ClusterFailure.explain(other, cluster, null), "other errors of a reachable cluster pass through");
    }
  }
}

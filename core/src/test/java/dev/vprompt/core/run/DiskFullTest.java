package dev.vprompt.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, for real: Linux's /dev/full fails every write with ENOSPC. (scripts/torture.sh fills a
 * small tmpfs under whole training runs.)
 */
class DiskFullTest {

  @TempDir Path dir;

  @Test
  void aMetricsAppendOnAFullDiskIsOneLineNamingTheDirectoryAndLeavesNothingBehind() throws IOException {
    assumeTrue(Files.exists(Path.of("/dev/full")), "needs Linux's /dev/full");
    RunDirectory run = RunDirectory.fresh(dir.resolve("run"));
    run.create();
    Files.createSymbolicLink(run.metrics(), Path.of("/dev/full"));
    EpochMetrics epoch = new EpochMetrics(1, 1e-3, 2.3, 0.1, 2.3, 0.1, 1.0, 100.0);
    DiskSpace.NoSpaceException e = assertThrows(DiskSpace.NoSpaceException.class, () -> run.appendMetrics(epoch));
    assertTrue(e.getMessage().startsWith(run.root().toAbsolutePath() + ": no space left on the device ("), e.getMessage());
    assertTrue(e.getMessage().matches(".*\\(([0-9.]+ [KMGT]iB|[0-9]+ bytes) free\\).*"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
    try (Stream<Path> entries = Files.list(run.root())) {
      assertEquals(List.of("checkpoints", "metrics.jsonl"), entries.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void tensorFlowsOutOfMemoryWordingForAFullDiskIsRecognised() {
    RuntimeException saveV2 = new RuntimeException("RESOURCE_EXHAUSTED: /x/model.data-00000-of-00001.tempstate1; "
        + "No space left on device\n\tHint: If you want to see a list of allocated tensors when OOM happens ...");
    assertTrue(DiskSpace.ifFull(dir, saveV2) != null);
    assertNull(DiskSpace.ifFull(dir, new RuntimeException("permission denied")), "other failures stay what they are");
  }
}

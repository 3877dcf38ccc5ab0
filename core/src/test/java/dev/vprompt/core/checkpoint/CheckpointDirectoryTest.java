package dev.vprompt.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointDirectoryTest {
  @TempDir Path runs;

  @Test
  void writeCreatesThenReplacesTheDirectory() throws IOException {
    Path last = runs.resolve("run1/checkpoints/last");
    CheckpointDirectory.write(last, dir -> Files.writeString(dir.resolve("epoch"), "1"));
    assertEquals("1", Files.readString(last.resolve("epoch")));

    CheckpointDirectory.write(last, dir -> Files.writeString(dir.resolve("epoch"), "2"));
    assertEquals("2", Files.readString(last.resolve("epoch")));
    assertEquals(List.of("last"), names(last.getParent()));
  }

  @Test
  void aWriterThatThrowsLeavesThePreviousCheckpointAndNoTempDirectory() throws IOException {
    Path last = runs.resolve("last");
    CheckpointDirectory.write(last, dir -> Files.writeString(dir.resolve("epoch"), "1"));
    IllegalStateException failure = new IllegalStateException("disk full, say");
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () -> CheckpointDirectory.write(last, dir -> {
              Files.writeString(dir.resolve("epoch"), "2");
              throw failure;
            }));
    assertSame(failure, thrown);
    assertEquals("1", Files.readString(last.resolve("epoch")));
    assertEquals(List.of("last"), names(runs));

    assertThrows(IOException.class, () -> CheckpointDirectory.write(runs.resolve("best"), dir -> {
      throw new IOException("no space left");
    }));
    assertEquals(List.of("last"), names(runs));
  }

  @Test
  void recoverPutsThePreviousCheckpointBackAfterACrashBetweenTheRenames() throws IOException {
    // The state a crash leaves after "last -> .last.old-*" and before ".last.tmp-* -> last".
    Path old = Files.createDirectory(runs.resolve(".last.old-1f2e"));
    Files.writeString(old.resolve("epoch"), "7");
    Path temp = Files.createDirectory(runs.resolve(".last.tmp-3a4b"));
    Files.writeString(temp.resolve("epoch"), "8");
    Path otherRun = Files.createDirectory(runs.resolve(".best.old-5c6d"));

    assertEquals(CheckpointDirectory.Recovery.RESTORED_PREVIOUS, CheckpointDirectory.recover(runs.resolve("last")));
    assertEquals("7", Files.readString(runs.resolve("last/epoch")));
    assertEquals(List.of(".best.old-5c6d", "last"), names(runs));
    assertTrue(Files.isDirectory(otherRun), "another checkpoint's leftovers are its own business");
  }

  @Test
  void recoverDeletesLeftoversAroundAnIntactCheckpoint() throws IOException {
    Path last = Files.createDirectory(runs.resolve("last"));
    Files.writeString(last.resolve("epoch"), "9");
    Files.createDirectory(runs.resolve(".last.old-1")); // crash after the second rename
    Path temp = Files.createDirectories(runs.resolve(".last.tmp-2/nested"));
    Files.writeString(temp.resolve("half-written"), "x"); // crash while writing

    assertEquals(CheckpointDirectory.Recovery.REMOVED_LEFTOVERS, CheckpointDirectory.recover(last));
    assertEquals("9", Files.readString(last.resolve("epoch")));
    assertEquals(List.of("last"), names(runs));
    assertEquals(CheckpointDirectory.Recovery.CLEAN, CheckpointDirectory.recover(last));
    assertEquals(CheckpointDirectory.Recovery.CLEAN, CheckpointDirectory.recover(runs.resolve("no/such/last")));
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}

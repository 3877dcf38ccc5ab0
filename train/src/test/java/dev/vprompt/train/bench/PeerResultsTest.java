package dev.vprompt.train.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerResultsTest {

  @TempDir Path dir;

  @Test
  void takesTheMedianOfTheMatchingResultLines() throws Exception {
    Path file = dir.resolve("djl.log");
    Files.writeString(file, String.join("\n",
        "INFO engine=PyTorch",
        "RESULT framework=djl task=train model=simple input=28x28x1 batch=128 images_per_s=100.0",
        "RESULT framework=djl task=train model=simple input=28x28x1 batch=128 images_per_s=300.0",
        "RESULT framework=djl task=train model=simple input=28x28x1 batch=128 images_per_s=200.0",
        "RESULT framework=djl task=train model=simple input=32x32x3 batch=128 images_per_s=50.0",
        "RESULT framework=djl task=infer model=resnet18 input=28x28x1 batch=256 images_per_s=70.5", ""));
    PeerResults peer = PeerResults.read(file);
    assertEquals(200.0, peer.imagesPerSecond("train", "cnn", "28x28x1", 128).getAsDouble());
    assertEquals(70.5, peer.imagesPerSecond("infer", "resnet18", "28x28x1", 256).getAsDouble());
    assertTrue(peer.imagesPerSecond("infer", "resnet18", "28x28x1", 1).isEmpty());
    assertTrue(peer.imagesPerSecond("train", "vit-tiny", "28x28x1", 128).isEmpty());
  }

  @Test
  void rejectsAMissingFileAndOneWithoutResults() throws Exception {
    var missing = assertThrows(IllegalArgumentException.class, () -> PeerResults.read(dir.resolve("none.log")));
    assertTrue(missing.getMessage().contains("none.log"), missing.getMessage());
    Path empty = Files.writeString(dir.resolve("empty.log"), "INFO nothing measured\n");
    var noLines = assertThrows(IllegalArgumentException.class, () -> PeerResults.read(empty));
    assertEquals("no RESULT lines in the peer results file " + empty, noLines.getMessage());
  }
}

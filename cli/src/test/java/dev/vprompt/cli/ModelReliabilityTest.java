package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged SavedModels and hostile images through inspect --strict and predict: each is named in one
 * line, nothing reaches TensorFlow that would fail later with its own words.
 */
class ModelReliabilityTest {

  @TempDir Path temp;

  private Path copyOfModel(String name) throws IOException {
    return DirectoryCopy.of(ServingFixtures.model("add"), temp.resolve(name));
  }

  private static Path dataFile(Path model) {
    return model.resolve("variables/variables.data-00000-of-00001");
  }

  @Test
  void strictInspectionRestoresEveryVariableAndChecksTheClassNames() throws Exception {
    Path truncated = copyOfModel("truncated");
    byte[] data = Files.readAllBytes(dataFile(truncated));
    Files.write(dataFile(truncated), java.util.Arrays.copyOf(data, data.length / 3));
    CliRun cut = CliRun.of("inspect", truncated.toString(), "--strict");
    assertEquals(1, cut.exitCode(), cut.out() + cut.err());
    assertTrue(cut.out().contains("damaged-variable [") && cut.out().contains(": truncated"), cut.out());

    Path garbled = copyOfModel("garbled");
    byte[] changed = data.clone();
    for (int i = data.length / 2; i < data.length / 2 + 64; i++) {
      changed[i] ^= 0x5a;
    }
    Files.write(dataFile(garbled), changed);
    CliRun bad = CliRun.of("inspect", garbled.toString(), "--strict");
    assertEquals(1, bad.exitCode(), bad.out() + bad.err());
    assertTrue(bad.out().contains("fail their CRC32C check: garbled"), bad.out());

    Path names = copyOfModel("names");
    Files.writeString(names.resolve("assets/classes.txt"), "a\nb\nc\n");
    CliRun three = CliRun.of("inspect", names.toString(), "--strict");
    assertEquals(1, three.exitCode(), three.out() + three.err());
    assertTrue(three.out().contains("assets/classes.txt names 3 classes but output 'probabilities' of "
        + "serving_default has 10"), three.out());

    CliRun intact = CliRun.of("inspect", ServingFixtures.model("add").toString(), "--strict");
    assertEquals(0, intact.exitCode(), intact.out() + intact.err());
  }

  @Test
  void predictNamesAMissingVariablesFileAndRefusesBombsAndReadsOneBitGrey() throws Exception {
    Path image = temp.resolve("one-bit.png");
    BufferedImage binary = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_BINARY);
    binary.getRaster().setSample(5, 5, 0, 1);
    ImageIO.write(binary, "png", image.toFile());

    Path noIndex = copyOfModel("no-index");
    Files.delete(noIndex.resolve("variables/variables.index"));
    CliRun index = CliRun.of("predict", noIndex.toString(), image.toString(), "--threads", "2");
    assertEquals(2, index.exitCode(), index.out() + index.err());
    assertTrue(index.err().contains("variables/variables.index: missing"), index.err());

    Path noVariables = copyOfModel("no-variables");
    dev.vprompt.core.run.FileTrees.delete(noVariables.resolve("variables"));
    CliRun none = CliRun.of("predict", noVariables.toString(), image.toString(), "--threads", "2");
    assertEquals(2, none.exitCode(), none.out() + none.err());
    assertTrue(none.err().contains("variables: missing"), none.err());

    Path model = ServingFixtures.model("add");
    CliRun grey = CliRun.of("predict", model.toString(), image.toString(), "--threads", "2");
    assertEquals(0, grey.exitCode(), "a 1-bit grey PNG fits a 28x28x1 model: " + grey.out() + grey.err());

    Path fewNames = copyOfModel("few-names");
    Files.writeString(fewNames.resolve("assets/classes.txt"), "a\nb\nc\n");
    CliRun few = CliRun.of("predict", fewNames.toString(), image.toString(), "--threads", "2", "--top-k", "10");
    assertEquals(0, few.exitCode(), few.out() + few.err());
    assertTrue(few.err().startsWith(fewNames.resolve("assets/classes.txt") + ": warning: names 3 classes but the model "
        + "has 10 outputs; the others are shown as class_N"), few.err());
    assertTrue(few.out().contains(": 28x28x1 images, 10 classes") && few.out().contains("class_9"), few.out());

    Files.write(fewNames.resolve("assets/classes.txt"), new byte[] {'a', '\n', (byte) 0xff, (byte) 0xfe, '\n'});
    CliRun garbled = CliRun.of("predict", fewNames.toString(), image.toString(), "--threads", "2");
    assertEquals(2, garbled.exitCode(), garbled.out() + garbled.err());
    assertTrue(garbled.err().startsWith("vprompt predict: error: " + fewNames.resolve("assets/classes.txt")
        + ": not UTF-8 text"), garbled.err());

    Path bomb = temp.resolve("bomb.png");
    Files.write(bomb, withDeclaredSize(Files.readAllBytes(image), 40000, 40000));
    CliRun refused = CliRun.of("predict", model.toString(), bomb.toString(), "--threads", "2");
    assertEquals(2, refused.exitCode(), refused.out() + refused.err());
    assertTrue(refused.err().contains(bomb + ": declares 40000 x 40000 pixels"), refused.err());
  }

  /** The PNG with its IHDR width and height replaced (and the chunk's CRC recomputed). */
  private static byte[] withDeclaredSize(byte[] png, int width, int height) {
    ByteBuffer buffer = ByteBuffer.wrap(png.clone());
    buffer.putInt(16, width).putInt(20, height); // IHDR data starts after signature (8), length (4), type (4)
    CRC32 crc = new CRC32();
    crc.update(buffer.array(), 12, 4 + 13);
    buffer.putInt(12 + 4 + 13, (int) crc.getValue());
    return buffer.array();
  }
}

package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vprompt.export.serving.PngImages;
import dev.vprompt.core.data.ClassNames;
import dev.vprompt.core.data.ImageSet;
import dev.vprompt.core.data.LoadedData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vprompt predict} on image files and datasets, and its errors. */
class PredictCommandTest {

  @TempDir Path temp;

  private Path png(String name, ImageSet set, int i) throws Exception {
    Path file = temp.resolve(name);
    Files.write(file, PngImages.encode(set.pixels(), i * set.imageSize(), set.height(), set.width(), set.channels()));
    return file;
  }

  @Test
  void classifiesImageFilesWithClassNamesFromTheAsset() throws Exception {
    Path model = ServingFixtures.model("add");
    ImageSet test = LoadedData.load("embedded").splits().test();
    Path first = png("first.png", test, 0);
    Path second = png("second.png", test, 1);
    CliRun text = CliRun.of("predict", model.toString(), first.toString(), second.toString(), "--top-k", "3");
    assertEquals(0, text.exitCode(), text.err());
    assertTrue(text.out().contains("28x28x1 images, 10 classes"), text.out());
    String line = text.out().lines().filter(l -> l.startsWith(first.toString())).findFirst().orElseThrow();
    assertEquals(3, ClassNames.FASHION_MNIST.stream().filter(line::contains).count(), line);

    CliRun json = CliRun.of("predict", model.toString(), first.toString(), "--json", "--top-k", "20");
    JsonNode top = new ObjectMapper().readTree(json.out()).get("images").get(0).get("top");
    assertEquals(10, top.size(), "top-k stops at the class count");
    double sum = 0;
    for (JsonNode t : top) {
      sum += t.get("probability").asDouble();
      assertEquals(ClassNames.FASHION_MNIST.get(t.get("index").asInt()), t.get("class").asText());
    }
    assertEquals(1.0, sum, 1e-4);
  }

  @Test
  void wrongSizesChannelsAndNonImagesExitTwoNamingTheFileUnlessResized() throws Exception {
    Path model = ServingFixtures.model("add");
    byte[] rgb = new byte[32 * 32 * 3];
    new java.util.Random(3).nextBytes(rgb);
    Path large = temp.resolve("large-rgb.png");
    Files.write(large, PngImages.encode(rgb, 0, 32, 32, 3));
    Path text = Files.writeString(temp.resolve("readme.png"), "not really a PNG");

    CliRun wrong = CliRun.of("predict", model.toString(), large.toString());
    assertEquals(2, wrong.exitCode());
    assertTrue(wrong.err().startsWith("vprompt predict: error: " + large), wrong.err());
    assertTrue(wrong.err().contains("32x32x3 (RGB) but the model takes 28x28x1 (grey)"), wrong.err());
    assertEquals("", wrong.out(), "nothing is classified when one input is bad");

    CliRun resized = CliRun.of("predict", model.toString(), large.toString(), "--resize");
    assertEquals(0, resized.exitCode(), resized.err());
    assertTrue(resized.out().contains(large + ":"), resized.out());

    CliRun notImage = CliRun.of("predict", model.toString(), text.toString());
    assertEquals(2, notImage.exitCode());
    assertTrue(notImage.err().contains(text + ": not an image"), notImage.err());

    CliRun noModel = CliRun.of("predict", temp.resolve("missing").toString(), large.toString());
    assertEquals(2, noModel.exitCode());
    assertTrue(noModel.err().contains("no such directory"), noModel.err());

    CliRun missingFile = CliRun.of("predict", model.toString(), temp.resolve("gone.png").toString());
    assertEquals(2, missingFile.exitCode());
    assertTrue(missingFile.err().contains("gone.png: no such file"), missingFile.err());
  }

  @Test
  void aDatasetOfAnotherShapeNeedsResize() throws Exception {
    Path model = ServingFixtures.model("add");
    ImageSet test = LoadedData.load("embedded").splits().test().subset(java.util.stream.IntStream.range(0, 20).toArray());
    byte[] small = new byte[20 * 14 * 14];
    for (int i = 0; i < 20; i++) {
      byte[] one = dev.vprompt.export.serving.PixelConversion.resize(test.imageBytes(i), 28, 28, 1, 14, 14);
      System.arraycopy(one, 0, small, i * 196, 196);
    }
    ImageSet shrunk = new ImageSet(small, test.labels(), 14, 14, 1, test.classNames());
    Path images = temp.resolve("t10k-images-idx3-ubyte");
    dev.vprompt.core.data.IdxWriter.writeImages(images, shrunk);
    dev.vprompt.core.data.IdxWriter.writeLabels(temp.resolve("t10k-labels-idx1-ubyte"), shrunk);

    CliRun wrong = CliRun.of("predict", model.toString(), images.toString());
    assertEquals(2, wrong.exitCode(), wrong.err());
    assertTrue(wrong.err().contains(images + ": the images are 14x14x1 but the model takes 28x28x1"), wrong.err());
    CliRun resized = CliRun.of("predict", model.toString(), images.toString(), "--resize");
    assertEquals(0, resized.exitCode(), resized.err());
    assertTrue(resized.out().contains(images + ": 20 images, accuracy "), resized.out());
  }
}

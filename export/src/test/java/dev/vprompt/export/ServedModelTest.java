package dev.vprompt.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.export.serving.PngImages;
import dev.vprompt.export.serving.Predictions;
import dev.vprompt.export.serving.ServedModel;
import dev.vprompt.core.data.ClassNames;
import dev.vprompt.core.data.ImageSet;
import dev.vprompt.core.data.LoadedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TensorFlow-Java-only client on an exported model. */
class ServedModelTest {

  @TempDir static Path temp;
  static Path model;

  @BeforeAll
  static void export() throws Exception {
    Path run = RunFixtures.untrainedRun(temp.resolve("run"), RunFixtures.config("cnn", null, RunFixtures.msvp("add")));
    model = ModelExporter.export(new ExportRequest(run, "best", temp.resolve("models/m"), null, 8, 2), line -> {})
        .directory();
  }

  @Test
  void describesTheModelFromItsSignatureAndAsset() {
    try (ServedModel served = ServedModel.load(model, 2)) {
      assertEquals(28, served.height());
      assertEquals(28, served.width());
      assertEquals(1, served.channels());
      assertEquals(ClassNames.FASHION_MNIST, served.classNames());
      assertTrue(served.acceptsEncodedImages());
    }
  }

  @Test
  void rawAndEncodedImagesGiveTheSamePredictions() {
    ImageSet test = LoadedData.load("embedded").splits().test().subset(IntStream.range(0, 5).toArray());
    try (ServedModel served = ServedModel.load(model, 2)) {
      Predictions raw = served.predict(test.pixels(), 5);
      assertEquals(5, raw.predicted().length);
      assertEquals(10, raw.classes());
      List<byte[]> pngs = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        pngs.add(PngImages.encode(test.pixels(), i * 784, 28, 28, 1));
      }
      Predictions encoded = served.predictEncoded(pngs);
      assertArrayEquals(raw.logits(), encoded.logits());
      assertArrayEquals(raw.predicted(), encoded.predicted());
      List<Predictions.Ranked> top = raw.top(0, 3);
      assertEquals(3, top.size());
      assertEquals(raw.predicted()[0], top.get(0).index());
      assertTrue(top.get(0).probability() >= top.get(1).probability());
      assertEquals(0, served.predict(new byte[0], 0).count(), "an empty batch is fine");
    }
  }

  @Test
  void badInputsAreRejectedInJavaOrReportedAsErrors() {
    try (ServedModel served = ServedModel.load(model, 2)) {
      IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> served.predict(new byte[100], 1));
      assertTrue(size.getMessage().contains("28x28x1"), size.getMessage());
      IllegalArgumentException garbage = assertThrows(IllegalArgumentException.class,
          () -> served.predictEncoded(List.of("not an image".getBytes())));
      assertTrue(garbage.getMessage().contains("cannot decode"), garbage.getMessage());
    }
  }

  @Test
  void whatIsNoModelIsAnErrorNamingIt() throws Exception {
    IllegalArgumentException versions = assertThrows(IllegalArgumentException.class,
        () -> ServedModel.load(model.getParent(), 2));
    assertTrue(versions.getMessage().contains("pass a version directory"), versions.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ServedModel.load(temp.resolve("nothing"), 2));
    Path broken = Files.createDirectories(temp.resolve("broken"));
    Files.writeString(broken.resolve("saved_model.pb"), "garbage");
    IllegalArgumentException load = assertThrows(IllegalArgumentException.class, () -> ServedModel.load(broken, 2));
    assertTrue(load.getMessage().contains("cannot load"), load.getMessage());
    assertFalse(load.getMessage().contains("\n"));
  }
}

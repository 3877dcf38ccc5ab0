package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vprompt.export.serving.PngImages;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vprompt import} on timm's fixtures, then what an imported run is for: export, predict, transfer. */
class ImportCommandTest {

  @TempDir Path temp;

  private static Path fixture(String name) {
    return Path.of(System.getProperty("vprompt.home", ".."), "testdata", "pretrained", name);
  }

  @Test
  void anImportedVitExportsAndServesRawPixels() throws Exception {
    Path run = temp.resolve("vit");
    CliRun imported = CliRun.of("import", "--arch", "vit", "--weights", fixture("vit-tiny-test.safetensors").toString(),
        "--out", run.toString());
    assertEquals(0, imported.exitCode(), imported.out() + imported.err());
    JsonNode config = new ObjectMapper().readTree(run.resolve("config.json").toFile());
    assertEquals("vit(patch=8,dim=48,depth=2,heads=3)", config.get("backbone").asText());
    assertEquals("32x32x3", config.get("input").asText());
    assertEquals(10, config.get("class_names").size());
    // timm's ViT checkpoints' statistics (IMAGENET_INCEPTION_MEAN / STD)
    assertEquals(0.5, config.get("norm_mean").get(0).asDouble(), 1e-6);
    assertEquals(0.5, config.get("norm_std").get(2).asDouble(), 1e-6);
    assertTrue(Files.isRegularFile(run.resolve("checkpoints/best/model.index")));

    Path models = temp.resolve("models");
    CliRun export = CliRun.of("export", "--run", run.toString(), "--out", models.toString(), "--threads", "2");
    assertEquals(0, export.exitCode(), export.out() + export.err());
    CliRun inspect = CliRun.of("inspect", "--strict", models.resolve("1").toString());
    assertEquals(0, inspect.exitCode(), inspect.out() + inspect.err());
    assertTrue(inspect.out().contains("uint8"), inspect.out());

    byte[] pixels = new byte[32 * 32 * 3];
    new Random(3).nextBytes(pixels);
    Path png = temp.resolve("random.png");
    Files.write(png, PngImages.encode(pixels, 0, 32, 32, 3));
    CliRun predict = CliRun.of("predict", models.resolve("1").toString(), png.toString(), "--json", "--threads", "2");
    assertEquals(0, predict.exitCode(), predict.out() + predict.err());
    assertTrue(predict.out().contains("random.png"), predict.out());
  }

  @Test
  void aFrozenImportedResNetTrainsANewHeadOnTheEmbeddedDataAndExports() throws Exception {
    Path imported = temp.resolve("resnet");
    CliRun run = CliRun.of("import", "--arch", "resnet", "--weights", fixture("resnet-basic-test.safetensors").toString(),
        "--input", "28x28x1", "--out", imported.toString());
    assertEquals(0, run.exitCode(), run.out() + run.err());
    String backbone = new ObjectMapper().readTree(imported.resolve("config.json").toFile()).get("backbone").asText();
    assertEquals("resnet(block=basic,layers=1-1-1-1,channels=8-16-32-64)", backbone);
    // grey input: the RGB stem kernel summed over its channels, the statistics averaged
    assertEquals((0.485 + 0.456 + 0.406) / 3, new ObjectMapper().readTree(imported.resolve("config.json").toFile())
        .get("norm_mean").get(0).asDouble(), 1e-6);

    Path transfer = temp.resolve("transfer");
    CliRun train = CliRun.of("train", "--backbone", backbone, "--prompt", "none", "--init-from", imported.toString(),
        "--freeze", "backbone", "--head", "new", "--epochs", "2", "--batch-size", "50", "--train-per-class", "40",
        "--threads", "2",
        "--out", transfer.toString());
    assertEquals(0, train.exitCode(), train.out() + train.err());
    assertTrue(train.out().contains("backbone frozen"), train.out());
    List<String> epochs = Files.readAllLines(transfer.resolve("metrics.jsonl"));
    assertEquals(2, epochs.size());
    double first = new ObjectMapper().readTree(epochs.get(0)).get("train_loss").asDouble();
    double second = new ObjectMapper().readTree(epochs.get(1)).get("train_loss").asDouble();
    assertTrue(Double.isFinite(second) && second < first, "the new head learns: train loss " + first + " -> " + second);

    Path models = temp.resolve("models");
    CliRun export = CliRun.of("export", "--run", transfer.toString(), "--out", models.toString(), "--threads", "2",
        "--verify-images", "64");
    assertEquals(0, export.exitCode(), export.out() + export.err());
    assertTrue(export.out().contains("verified"), export.out());
    CliRun inspect = CliRun.of("inspect", "--strict", models.resolve("1").toString());
    assertEquals(0, inspect.exitCode(), inspect.out() + inspect.err());
  }

  @Test
  void aWrapperPrefixIsRemoved() throws Exception {
    Path prefixed = temp.resolve("prefixed.safetensors");
    renameTensors(fixture("resnet-bottleneck-test.safetensors"), prefixed, name -> "module." + name);
    Path run = temp.resolve("run");
    CliRun imported = CliRun.of("import", "--arch", "resnet", "--weights", prefixed.toString(), "--out", run.toString());
    assertEquals(0, imported.exitCode(), imported.out() + imported.err());
    assertTrue(imported.out().contains("prefix 'module.' removed"), imported.out());
    assertTrue(imported.out().contains("resnet(block=bottleneck,layers=1-1-1-1,channels=8-16-32-64)"), imported.out());
  }

  @Test
  void badWeightsExitTwoWithTheProblemsAndLeaveNoRunDirectory() throws Exception {
    byte[] vit = Files.readAllBytes(fixture("vit-tiny-test.safetensors"));
    Path truncated = temp.resolve("truncated.safetensors");
    Files.write(truncated, Arrays.copyOf(vit, vit.length / 2));
    Path text = temp.resolve("notes.safetensors");
    Files.writeString(text, "not weights at all\n");
    Path stray = temp.resolve("stray.safetensors");
    renameTensors(fixture("vit-tiny-test.safetensors"), stray, name -> name.equals("norm.bias") ? "norm.beta" : name);
    Path out = temp.resolve("never");
    Object[][] cases = {
        {new String[] {"--arch", "vit", "--weights", truncated.toString()}, "truncated"},
        {new String[] {"--arch", "vit", "--weights", text.toString()}, "not a safetensors file"},
        {new String[] {"--arch", "vit", "--weights", temp.resolve("absent.safetensors").toString()}, "no such file"},
        {new String[] {"--arch", "resnet", "--weights", fixture("vit-tiny-test.safetensors").toString()},
            "needs a timm ResNet"},
        {new String[] {"--arch", "vit-ti16", "--weights", fixture("vit-tiny-test.safetensors").toString()},
            "wrong shape: blocks.0.attn.qkv.weight -> backbone.block1.attn.qkv.kernel"},
        {new String[] {"--arch", "vit", "--weights", stray.toString()}, "unused by the model: norm.beta [48]"},
        {new String[] {"--arch", "levit-b", "--weights", fixture("vit-tiny-test.safetensors").toString()}, "unknown --arch"},
    };
    for (Object[] c : cases) {
      String[] args = Stream.concat(Stream.of("import", "--out", out.toString()), Arrays.stream((String[]) c[0]))
          .toArray(String[]::new);
      CliRun run = CliRun.of(args);
      assertEquals(2, run.exitCode(), String.join(" ", args) + "\n" + run.out() + run.err());
      assertTrue(run.err().contains((String) c[1]), String.join(" ", args) + "\n" + run.err());
      assertFalse(Files.exists(out), "no run directory after " + String.join(" ", args));
    }
    CliRun missing = CliRun.of("import", "--arch", "vit", "--weights", stray.toString(), "--out", out.toString());
    assertTrue(missing.err().contains("missing from the file: norm.bias (for backbone.norm.beta [48])"), missing.err());
    try (Stream<Path> left = Files.list(temp)) {
      assertTrue(left.noneMatch(p -> p.getFileName().toString().contains("importing")), "no temporary directory left");
    }
  }

  /** A copy of a safetensors file with its tensors renamed (offsets are relative to the data, so they stay). */
  private static void renameTensors(Path from, Path to, java.util.function.UnaryOperator<String> rename)
      throws Exception {
    byte[] bytes = Files.readAllBytes(from);
    long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    ObjectMapper json = new ObjectMapper();
    JsonNode header = json.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
    ObjectNode renamed = json.createObjectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      renamed.set(e.getKey().equals("__metadata__") ? e.getKey() : rename.apply(e.getKey()), e.getValue());
    }
    byte[] newHeader = json.writeValueAsBytes(renamed);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(newHeader.length).array());
    out.write(newHeader);
    out.write(bytes, (int) (8 + headerLength), (int) (bytes.length - 8 - headerLength));
    Files.write(to, out.toByteArray());
  }
}

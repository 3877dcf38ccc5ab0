package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A paper preset end to end at toy scale, as scripts/presets-toy.sh runs every preset: LoR-VP's default
 * (ViT-B/16 on Tiny-ImageNet) with {@code --set} overrides to the imported tiny ResNet fixture, the embedded
 * Fashion-MNIST subset, one epoch, one seed and two training images per class; both methods of the file train
 * under their protocols, each into its own run (the smallest preset: the script runs the others).
 */
class PresetToyScaleTest {

  @TempDir Path temp;

  private static Path home(String... parts) {
    return Path.of(System.getProperty("vprompt.home", ".."), parts);
  }

  @Test
  void lorVpsDefaultRunsOnTheImportedFixture() throws Exception {
    Path source = temp.resolve("resnet-fixture");
    CliRun imported = CliRun.of("import", "--arch", "resnet", "--weights",
        home("testdata", "pretrained", "resnet-basic-test.safetensors").toString(), "--input", "28x28x1",
        "--out", source.toString());
    assertEquals(0, imported.exitCode(), imported.err());

    Path out = temp.resolve("sweep");
    CliRun sweep = CliRun.of("sweep", home("presets", "lor-vp-tiny-imagenet-vit-b16.yaml").toString(), "--out", out.toString(),
        "--set", "datasets=embedded", "--set", "backbones=resnet(block=basic,layers=1-1-1-1,channels=8-16-32-64)",
        "--set", "init_from=" + source, "--set", "epochs=1", "--set", "seeds=42", "--set", "train_per_class=2",
        "--set", "batch_size=8", "--set", "threads=2");
    assertEquals(0, sweep.exitCode(), sweep.out() + sweep.err());
    List<String> finished;
    try (Stream<Path> runs = Files.list(out)) {
      finished = runs.filter(r -> Files.exists(r.resolve("summary.json"))).map(r -> r.getFileName().toString())
          .sorted().toList();
    }
    assertEquals(2, finished.size(), finished.toString());
    for (String label : List.of("-lp-s42", "-lor-vp-s42")) {
      assertTrue(finished.stream().anyMatch(name -> name.contains(label)), label + " in " + finished);
    }
  }
}

package dev.vprompt.studies.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweep files: the grid they describe, and errors that name the line and the key. */
class SweepFileReaderTest {

  static final TrainOptions OPTIONS = new TrainOptions(
      Set.of("data", "backbone", "prompt", "seed", "epochs", "out", "resume", "batch-size", "lr", "threads",
          "eval-batch-size", "msvp-fusion", "msvp-scales", "optimizer", "verbose", "data-classes", "schedule"),
      Set.of("verbose", "resume"));

  @TempDir Path temp;

  private Path write(String name, String text) throws IOException {
    Path file = temp.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private List<SweepRun> expand(Path file, String... sets) {
    return SweepGrid.expand(new SweepFileReader(OPTIONS).read(file, List.of(sets)));
  }

  private SweepFileException error(Path file, String... sets) {
    return assertThrows(SweepFileException.class, () -> expand(file, sets));
  }

  private static final String VALID = """
      description: a small grid
      datasets:
        - data: embedded
          epochs: 3
        - cifar10:/nowhere/cifar10
      backbones: [cnn]
      prompts:
        - none
        - {name: msvp, msvp_fusion: gated}
      seeds: [42, 43]
      epochs: 2
      train:
        batch_size: 64
        verbose: true
        lr: [0.001, 0.01]
      """;

  @Test
  void aGridExpandsSeedsOutermostWithDeterministicNames() throws IOException {
    List<SweepRun> runs = expand(write("grid.yaml", VALID));
    assertEquals(2 * 2 * 1 * 2 * 2, runs.size());
    assertEquals("embedded-cnn-none-lr0.001-s42", runs.get(0).name());
    assertEquals("embedded-cnn-msvp-gated-lr0.001-s42", runs.get(1).name());
    assertEquals("embedded-cnn-none-lr0.01-s42", runs.get(2).name());
    assertEquals("cifar10-cnn-none-lr0.001-s42", runs.get(4).name());
    assertEquals("embedded-cnn-none-lr0.001-s43", runs.get(8).name());
    for (int i = 0; i < runs.size(); i++) {
      assertEquals(i, runs.get(i).index());
    }
    // the dataset's own epochs win over the top-level ones
    assertEquals("3", runs.get(0).setting("epochs").value());
    assertEquals("2", runs.get(4).setting("epochs").value());
    List<String> args = runs.get(1).trainArguments(Path.of("out"), OPTIONS);
    assertEquals(List.of("--data", "embedded", "--backbone", "cnn", "--prompt", "msvp", "--seed", "42", "--batch-size",
        "64", "--verbose", "--lr", "0.001", "--epochs", "3", "--msvp-fusion", "gated", "--out", "out"), args);
  }

  @Test
  void overridesReplaceListsEpochsAndOptions() throws IOException {
    Path file = write("grid.yaml", VALID);
    List<SweepRun> runs = expand(file, "seeds=7", "epochs=1", "datasets=embedded", "threads=2", "train.lr=0.1");
    assertEquals(2, runs.size());
    assertEquals("embedded-cnn-none-s7", runs.get(0).name());
    assertEquals("1", runs.get(0).setting("epochs").value());
    assertEquals("2", runs.get(0).setting("threads").value());
    assertEquals("0.1", runs.get(1).setting("lr").value());
    // a replacing dataset of a kind the file lists keeps that entry's own options
    List<SweepRun> cifar = expand(file, "datasets=cifar10:/elsewhere", "seeds=1", "lr=0.1");
    assertEquals("cifar10:/elsewhere", cifar.get(0).setting("data").value());
    assertEquals("2", cifar.get(0).setting("epochs").value());
  }

  @Test
  void unknownKeysNameTheirLine() throws IOException {
    Path top = write("top.yaml", VALID + "seed: 3\n");
    assertEquals(top + ":16: key 'seed': unknown key; a sweep file has backbones, datasets, description, epochs, "
        + "prompts, seeds, train", error(top).getMessage());
    Path option = write("option.yaml", VALID.replace("batch_size: 64", "batch_sise: 64"));
    SweepFileException e = error(option);
    assertTrue(e.getMessage().startsWith(option + ":13: key 'batch_sise': unknown option"), e.getMessage());
    Path reserved = write("reserved.yaml", VALID.replace("batch_size: 64", "seed: 64"));
    assertTrue(error(reserved).getMessage().startsWith(reserved + ":13: key 'seed': set by the sweep itself"));
  }

  @Test
  void wrongTypesNameTheirLine() throws IOException {
    Path seeds = write("seeds.yaml", VALID.replace("seeds: [42, 43]", "seeds:\n  - 42\n  - forty-three"));
    assertEquals(seeds + ":12: key 'seeds': expected a whole number, got 'forty-three'", error(seeds).getMessage());
    Path scalar = write("scalar.yaml", VALID.replace("seeds: [42, 43]", "seeds: 42"));
    assertEquals(scalar + ":10: key 'seeds': expected a list, e.g. [a, b], got '42'", error(scalar).getMessage());
    Path epochs = write("epochs.yaml", VALID.replace("epochs: 2", "epochs: 2.5"));
    assertEquals(epochs + ":11: key 'epochs': expected a whole number, got '2.5'", error(epochs).getMessage());
    Path flag = write("flag.yaml", VALID.replace("verbose: true", "verbose: loud"));
    assertTrue(error(flag).getMessage().startsWith(flag + ":14: key 'verbose': a switch"));
    Path map = write("map.yaml", VALID.replace("batch_size: 64", "batch_size: {a: 1}"));
    assertEquals(map + ":13: key 'batch_size': expected a single value, got a map", error(map).getMessage());
  }

  @Test
  void unknownNamesNameTheirLine() throws IOException {
    Path backbone = write("backbone.yaml", VALID.replace("backbones: [cnn]", "backbones: [cnn, resnet19]"));
    assertTrue(error(backbone).getMessage().startsWith(backbone + ":6: key 'backbones': unknown backbone 'resnet19'; known:"));
    Path prompt = write("prompt.yaml", VALID.replace("- none", "- nothing"));
    assertTrue(error(prompt).getMessage().startsWith(prompt + ":8: key 'prompts': unknown prompt 'nothing'"));
    Path fusion = write("fusion.yaml", VALID.replace("msvp_fusion: gated", "msvp_fusion: multiply"));
    assertEquals(fusion + ":9: key 'msvp_fusion': unknown MSVP fusion 'multiply'; known: add, concat, gated",
        error(fusion).getMessage());
    Path data = write("data.yaml", VALID.replace("cifar10:/nowhere", "svhn:/nowhere"));
    assertTrue(error(data).getMessage().startsWith(data + ":5: key 'datasets': unknown dataset kind 'svhn'"));
    Path optimizer = write("optimizer.yaml", VALID.replace("batch_size: 64", "optimizer: adamax"));
    assertTrue(error(optimizer).getMessage().startsWith(optimizer + ":13: key 'optimizer': "), error(optimizer).getMessage());
  }

  @Test
  void overridesAreCheckedAndNamed() throws IOException {
    Path file = write("grid.yaml", VALID);
    assertEquals("--set seeds=42,x: key 'seeds': expected a whole number, got 'x'", error(file, "seeds=42,x").getMessage());
    assertTrue(error(file, "colour=red").getMessage().startsWith("--set colour=red: key 'colour': unknown option"));
    assertTrue(error(file, "backbones=vgg").getMessage().startsWith("--set backbones=vgg: key 'backbones': unknown backbone"));
    assertEquals("--set epochs: expected KEY=VALUE, e.g. --set epochs=1 or --set seeds=42,43",
        error(file, "epochs").getMessage());
  }

  @Test
  void jsonSyntaxErrorsAndDuplicates() throws IOException {
    Path json = write("grid.json", """
        {
          "datasets": ["embedded"],
          "backbones": ["cnn"],
          "prompts": ["none"],
          "seeds": [42],
          "colour": "red"
        }
        """);
    assertTrue(error(json).getMessage().startsWith(json + ":6: key 'colour': unknown key"));
    Path broken = write("broken.json", "{\n  \"datasets\": [\"embedded\",\n}\n");
    assertTrue(error(broken).getMessage().startsWith(broken + ":3: not valid JSON"), error(broken).getMessage());
    Path yaml = write("broken.yaml", "datasets: [embedded\nbackbones: cnn: x\n");
    assertTrue(error(yaml).getMessage().contains("not valid YAML"), error(yaml).getMessage());
    Path twice = write("twice.yaml", VALID + "epochs: 4\n");
    assertEquals(twice + ":16: key 'epochs': given twice (first at line 11)", error(twice).getMessage());
    Path clash = write("clash.yaml", VALID.replace("- none", "- msvp\n  - msvp"));
    assertTrue(error(clash).getMessage().contains("two runs would both be named 'embedded-cnn-msvp-lr0.001-s42'"));
  }

  @Test
  void shardsPartitionTheGrid() throws IOException {
    List<SweepRun> runs = expand(write("grid.yaml", VALID));
    int total = 0;
    for (int i = 0; i < 3; i++) {
      Shard shard = Shard.parse(i + "/3");
      total += (int) runs.stream().filter(shard::contains).count();
    }
    assertEquals(runs.size(), total);
    assertTrue(new Shard(1, 3).contains(runs.get(4)));
    assertThrows(IllegalArgumentException.class, () -> Shard.parse("3/3"));
    assertThrows(IllegalArgumentException.class, () -> Shard.parse("1"));
  }
}

package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.graph.prompts.Prompt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** vprompt sweep: bad files, presets, and a sweep killed and started again. */
class SweepCommandTest {

  @TempDir Path temp;

  private Path sweepFile(String data) throws Exception {
    Path file = temp.resolve("tiny.yaml");
    Files.writeString(file, """
        datasets: ["%s"]
        backbones: [cnn]
        prompts:
          - none
          - {name: msvp, msvp_fusion: add}
        seeds: [42]
        epochs: 1
        train:
          threads: 2
          eval_batch_size: 500
        """.formatted(data));
    return file;
  }

  @Test
  void aMalformedSweepFileNamesTheLineAndTheKeyAndExitsTwo() throws Exception {
    Path file = temp.resolve("bad.yaml");
    Files.writeString(file, "datasets: [embedded]\nbackbones: [cnn]\nprompts: [none]\nseeds: [42]\ntrain:\n  learning_rate: 0.1\n");
    CliRun run = CliRun.of("sweep", file.toString(), "--out", temp.resolve("never").toString());
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().startsWith("vprompt sweep: error: " + file + ":6: key 'learning_rate': unknown option"), run.err());

    Files.writeString(file, "datasets: [embedded]\nbackbones: [cnn]\nprompts: [none]\nseeds: [42]\ntrain:\n  batch_size: many\n");
    run = CliRun.of("sweep", file.toString(), "--out", temp.resolve("never").toString());
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().startsWith("vprompt sweep: error: " + file + ":6: key 'batch_size': Invalid value"), run.err());

    Files.writeString(file, "datasets: [embedded]\nbackbones:\n  - cnn\n  - resnet-18\nprompts: [none]\nseeds: [42]\n");
    run = CliRun.of("sweep", file.toString());
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().startsWith("vprompt sweep: error: " + file + ":4: key 'backbones': unknown backbone 'resnet-18'"),
        run.err());

    Files.writeString(file, "datasets: [\"fashion-mnist:" + temp.resolve("missing") + "\"]\nbackbones: [cnn]\n"
        + "prompts: [none]\nseeds: [42]\n");
    run = CliRun.of("sweep", file.toString(), "--out", temp.resolve("never").toString());
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().startsWith("vprompt sweep: error: " + file + ":1: key 'datasets': "), run.err());
    assertTrue(run.err().contains("directory not found"), run.err());
    assertFalse(Files.exists(temp.resolve("never")));
  }

  @Test
  void presetsExpandWithOverrides() {
    for (String preset : List.of("table1", "table3", "table4")) {
      CliRun run = CliRun.of("sweep", presets().resolve(preset + ".yaml").toString(), "--dry-run", "--set", "datasets=embedded",
          "--set", "backbones=cnn", "--set", "seeds=42,43", "--set", "epochs=1", "--out", temp.resolve(preset).toString());
      assertEquals(0, run.exitCode(), run.err());
      long runs = run.out().lines().filter(l -> l.startsWith("[")).count();
      assertEquals(preset.equals("table1") ? 4 : 8, runs, run.out());
      assertTrue(run.out().contains("--epochs 1"), run.out());
    }
    CliRun full = CliRun.of("sweep", presets().resolve("table1.yaml").toString(), "--dry-run", "--shard", "1/2");
    assertEquals(0, full.exitCode(), full.err());
    assertTrue(full.out().startsWith("sweep " + presets().resolve("table1.yaml") + ": 54 runs, 27 in shard 1/2"), full.out());
    assertTrue(full.out().contains("--data cifar10:data/cifar10 --backbone vit-tiny --prompt msvp --seed 44 --epochs 150"));
  }

  /** The combined preset shares its baseline and default-MSVP runs with Table I's by name, so either reuses the other's. */
  @Test
  void theCombinedCnnPresetNamesItsSharedCellsAsTableOneDoes() {
    List<String> combined = dryRunNames("fashion-mnist-cnn");
    List<String> tableOne = dryRunNames("table1");
    assertEquals(12, combined.size(), combined.toString());
    assertEquals(4, tableOne.size(), tableOne.toString());
    assertTrue(combined.containsAll(tableOne), combined + " vs " + tableOne);
  }

  private List<String> dryRunNames(String preset) {
    CliRun run = CliRun.of("sweep", presets().resolve(preset + ".yaml").toString(), "--dry-run", "--set",
        "datasets=embedded", "--set", "backbones=cnn", "--set", "seeds=42,43", "--out", temp.resolve(preset).toString());
    assertEquals(0, run.exitCode(), run.err());
    return run.out().lines().filter(l -> l.startsWith("[")).map(l -> l.substring(l.lastIndexOf('/') + 1)).toList();
  }

  /**
   * The transfer presets expand, one run name per method and seed, and the ResNet-18 file holds only prompts that
   * fit a ResNet: of the ViT file's, exactly lora and the feature-level insvp do not, which is why it exists.
   */
  @Test
  void theTransferPresetsHoldEachMethodOnceAndTheResNetFileOnlyPromptsThatFitAResNet() {
    List<List<String>> vit = dryRunArguments("transfer-fashion-mnist");
    List<List<String>> resnet = dryRunArguments("transfer-fashion-mnist-resnet18");
    assertEquals(17 * 3, vit.size());
    assertEquals(15 * 3, resnet.size());
    for (List<List<String>> runs : List.of(vit, resnet)) {
      assertEquals(runs.size(), runs.stream().map(a -> a.get(a.indexOf("--out") + 1)).distinct().count());
      assertTrue(runs.stream().allMatch(a -> a.contains("--protocol")), runs.toString());
    }
    for (List<String> args : resnet) {
      assertNull(unfit(args, "resnet18"), args.toString());
    }
    Set<String> unfitOnResNet = new TreeSet<>();
    for (List<String> args : vit) {
      assertNull(unfit(args, "vit-tiny"), args.toString());
      if (unfit(args, "resnet18") != null) {
        unfitOnResNet.add(args.get(args.indexOf("--prompt") + 1));
      }
    }
    assertEquals(Set.of("insvp", "lora"), unfitOnResNet);
  }

  private List<List<String>> dryRunArguments(String preset) {
    CliRun run = CliRun.of("sweep", presets().resolve(preset + ".yaml").toString(), "--dry-run", "--out",
        temp.resolve(preset).toString());
    assertEquals(0, run.exitCode(), run.err());
    return run.out().lines().filter(l -> l.startsWith("["))
        .map(l -> List.of(l.substring(l.indexOf("vprompt train ") + "vprompt train ".length()).split(" "))).toList();
  }

  /** Why the run's prompt does not fit this backbone at the presets' 28x28x1 input, or null if it fits. */
  private static String unfit(List<String> trainArguments, String backbone) {
    TrainCommand train = new TrainCommand();
    new CommandLine(train).parseArgs(trainArguments.toArray(String[]::new));
    Prompt prompt = train.request().prompt().create();
    try {
      ModelSpec.of(InputSpec.parse("28x28x1"), 5, backbone, null, prompt).createBackbone();
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /** The acceptance test: SIGKILL during the second run; started again, it skips the first and resumes the second. */
  @Test
  void aSweepKilledAndStartedAgainFinishesWithoutRedoingFinishedRuns() throws Exception {
    Path file = sweepFile(TinyData.write(temp.resolve("data")));
    Path root = temp.resolve("sweep");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Dorg.bytedeco.javacpp.maxBytes=0", "-Djava.awt.headless=true",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "sweep", file.toString(), "--out",
        root.toString()));
    Path log = temp.resolve("sweep.log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Path first = root.resolve("fashion-mnist-cnn-none-s42/summary.json");
    Path second = root.resolve("fashion-mnist-cnn-msvp-add-s42");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(first) && System.nanoTime() < deadline) {
      assertTrue(process.isAlive(), Files.readString(log));
      Thread.sleep(20);
    }
    // let the second run start, so that there is one to resume
    while (!Files.exists(second.resolve("config.json")) && process.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    process.destroyForcibly();
    process.waitFor();
    assertTrue(Files.exists(first), Files.readString(log));
    assertFalse(Files.exists(second.resolve("summary.json")), "killed before the second run ended");
    byte[] bytes = Files.readAllBytes(first);
    FileTime modified = Files.getLastModifiedTime(first);

    CliRun again = CliRun.of("sweep", file.toString(), "--out", root.toString());
    assertEquals(0, again.exitCode(), again.out() + again.err());
    assertTrue(again.out().contains("[1/2] fashion-mnist-cnn-none-s42: finished before, skipped"), again.out());
    assertTrue(again.out().contains("[2/2] fashion-mnist-cnn-msvp-add-s42: " + (Files.exists(second) ? "resuming" : "training")),
        again.out());
    assertTrue(again.out().contains("sweep finished: 0 trained, 1 resumed, 1 skipped (finished before), 0 failed")
        || again.out().contains("sweep finished: 1 trained, 0 resumed, 1 skipped"), again.out());
    assertArrayEquals(bytes, Files.readAllBytes(first));
    assertEquals(modified, Files.getLastModifiedTime(first));
    assertTrue(Files.exists(second.resolve("summary.json")));

    // a third time: nothing to do; a sweep asking the same names with other settings is refused
    CliRun third = CliRun.of("sweep", file.toString(), "--out", root.toString());
    assertTrue(third.out().contains("0 trained, 0 resumed, 2 skipped"), third.out());
    CliRun changed = CliRun.of("sweep", file.toString(), "--out", root.toString(), "--set", "lr=0.01");
    assertEquals(2, changed.exitCode(), changed.err());
    assertTrue(changed.err().contains("this run was started with other settings than the sweep's run"), changed.err());
  }

  static Path presets() {
    Path home = Path.of(System.getProperty("vprompt.home", ".."));
    return Files.isDirectory(home.resolve("presets")) ? home.resolve("presets") : Path.of("..", "presets");
  }
}

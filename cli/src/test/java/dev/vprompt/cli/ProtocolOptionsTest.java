package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.core.run.TrainingSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code vprompt train --protocol NAME}: every value at once, each overridable, the source in --help. */
class ProtocolOptionsTest {

  private static TrainCommand parse(String... args) {
    TrainCommand train = new TrainCommand();
    new CommandLine(train).parseArgs(args);
    return train;
  }

  private static TrainingSettings settings(String... args) {
    return parse(args).trainingSettings();
  }

  @Test
  void eachProtocolSetsItsPapersValues() {
    TrainingSettings msvp = settings();
    assertEquals(new TrainingSettings(10, 128, 1e-3, 1e-4, "adam", "all", "cosine", 0, 42, 0.1, "auto", 0, 1000,
        "msvp"), msvp);
    TrainingSettings lorVp = settings("--protocol", "lor-vp", "--init-from", "runs/source");
    assertEquals(new TrainingSettings(20, 256, 0.02, 1e-4, "sgd", "except-prompt", "cosine-step", 0, 42, 0.1, "none",
        0, 1000, "lor-vp"), lorVp);
    assertEquals("lotep", settings("--protocol", "lotep").protocol());
    assertEquals(lorVp.learningRate(), settings("--protocol", "lotep").learningRate());
    assertEquals("sgd", settings("--protocol", "linear-probe").optimizer());
    // InsVP: 20% of the run's steps warm up, turned into steps once the data is known
    TrainingSettings insvp = settings("--protocol", "insvp");
    assertEquals(new TrainingSettings(100, 64, 2e-3, 1e-3, "adamw", "all", "cosine-step", 0, 42, 0.1, "natural+mix",
        0, 1000, "insvp"), insvp);
    assertEquals(0.2, parse("--protocol", "insvp").request().warmupFraction());
    assertEquals(0, parse("--protocol", "lotep").request().warmupFraction());
  }

  @Test
  void everyValueStaysOverridable() {
    TrainingSettings t = settings("--protocol", "insvp", "--epochs", "5", "--batch-size", "32", "--lr", "0.1",
        "--weight-decay", "0", "--optimizer", "sgd", "--decay", "all", "--schedule", "constant", "--warmup-steps", "7",
        "--augment", "none", "--init-from", "x");
    assertEquals(new TrainingSettings(5, 32, 0.1, 0, "sgd", "all", "constant", 7, 42, 0.1, "none", 0, 1000, "insvp"), t);
    // warm-up steps given: no fraction
    assertEquals(0, parse("--protocol", "insvp", "--warmup-steps", "7").request().warmupFraction());
  }

  @Test
  void helpCitesWhereEachValueComesFrom() {
    CliRun help = CliRun.of("train", "--help");
    String text = help.out().replaceAll("\\s+", " ");
    assertTrue(text.contains("run/run_lorvp.sh"), text);
    assertTrue(text.contains("sh/cifar10.sh"), text);
    assertTrue(text.contains("§IV-D"), text);
    assertTrue(text.contains("except-prompt"), text);
    CliRun bad = CliRun.of("train", "--protocol", "vpt", "--out", "unused");
    assertEquals(2, bad.exitCode(), bad.err());
    assertTrue(bad.err().contains("msvp, lor-vp, lotep, insvp, linear-probe"), bad.err());
  }
}

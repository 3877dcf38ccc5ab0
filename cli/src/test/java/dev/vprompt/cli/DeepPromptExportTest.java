package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The prompts of issues 5 and 6 train, export and pass inspect --strict from the CLI: input-space
 * prompts fold into one constant, deep and image-dependent ones keep their variables.
 */
class DeepPromptExportTest {

  @TempDir Path temp;

  @ParameterizedTest
  @CsvSource({"lor-vp,true", "lotep-cp,false", "insvp,false"})
  void trainsExportsAndInspectsClean(String prompt, boolean folded) throws Exception {
    Path run = temp.resolve("run");
    String[] extra = prompt.equals("insvp") ? new String[] {"--insvp-level", "image"} : new String[0];
    CliRun train = CliRun.of(ServingFixtures.concat(new String[] {"train", "--prompt", prompt, "--epochs", "1",
        "--batch-size", "64", "--train-per-class", "60", "--threads", "2", "--out", run.toString()}, extra));
    assertEquals(0, train.exitCode(), train.out() + train.err());
    Path model = temp.resolve("model");
    CliRun export = CliRun.of("export", "--run", run.toString(), "--out", model.toString(), "--verify-images", "64");
    assertEquals(0, export.exitCode(), export.out() + export.err());
    assertTrue(export.out().contains("max |logit difference| 0.00"), export.out());
    assertEquals(folded, export.out().contains("folded into one constant"), export.out());
    CliRun inspect = CliRun.of("inspect", model.resolve("1").toString(), "--strict");
    assertEquals(0, inspect.exitCode(), inspect.out() + inspect.err());
    var saved = dev.vprompt.core.checkpoint.CheckpointIndex.read(model.resolve("1/variables/variables")).keySet();
    assertEquals(!folded, saved.stream().anyMatch(name -> name.startsWith("prompt.")), saved.toString());
    assertFalse(inspect.out().contains("Apply"), inspect.out());
  }
}

package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code vprompt params} for LoTeP and its baselines: totals, the per-layer table, and bad settings. */
class LotepParamsCommandTest {

  private static JsonNode json(String... args) throws Exception {
    CliRun run = CliRun.of(args);
    assertEquals(0, run.exitCode(), run.err());
    return new ObjectMapper().readTree(run.out());
  }

  private static List<Long> column(JsonNode report, String field) {
    List<Long> values = new ArrayList<>();
    report.get("prompt_layers").forEach(layer -> values.add(layer.get(field).asLong()));
    return values;
  }

  @Test
  void defaultsOnResNet18AndVitTiny() throws Exception {
    JsonNode cp = json("params", "--backbone", "resnet18", "--prompt", "lotep-cp", "--input", "32x32x3",
        "--classes", "10", "--json");
    assertEquals(1952, cp.get("params_prompt").asLong());
    assertEquals(List.of(6L, 5L, 3L, 1L), column(cp, "rank"));
    assertEquals(List.of(64L, 64L, 64L, 128L), column(cp, "channels"));
    assertEquals(List.of(768L, 640L, 384L, 160L), column(cp, "params"));
    assertEquals(List.of(0L, 1L, 2L, 3L), column(cp, "block"));
    JsonNode tk = json("params", "--backbone", "vit-tiny", "--prompt", "lotep-tk", "--input", "32x32x3",
        "--classes", "10", "--json");
    assertEquals(5377, tk.get("params_prompt").asLong());
    assertEquals(List.of(6L, 6L, 5L, 3L, 2L, 1L), column(tk, "rank"));
    assertEquals(List.of(1464L, 1464L, 1165L, 651L, 424L, 209L), column(tk, "params"));
  }

  /** r0 = 2, constant, every block of ResNet-18: 2 (C + H + W) per block. */
  @Test
  void optionsReachThePrompt() throws Exception {
    JsonNode cp = json("params", "--backbone", "resnet18", "--prompt", "lotep-cp", "--rank0", "2",
        "--depth-ratio", "1", "--rank-schedule", "constant", "--input", "32x32x3", "--classes", "10", "--json");
    assertEquals(List.of(2L, 2L, 2L, 2L, 2L, 2L, 2L, 2L), column(cp, "rank"));
    assertEquals(3 * 256 + 2 * 320 + 2 * 544 + 1040, cp.get("params_prompt").asLong());
    JsonNode grouped = json("params", "--backbone", "resnet18", "--prompt", "grouped-vp", "--groups", "4",
        "--input", "32x32x3", "--classes", "10", "--json");
    assertEquals(3 * 4 * 1024 + 4 * 256, grouped.get("params_prompt").asLong());
    assertTrue(grouped.get("prompt_layers").get(0).get("rank").isNull());
    JsonNode lor = json("params", "--prompt", "lor-vp", "--lor-rank", "2", "--input", "32x32x3", "--classes", "10",
        "--json");
    assertEquals(3 * 2 * 64, lor.get("params_prompt").asLong());
    assertEquals("input", lor.get("prompt_layers").get(0).get("site").asText());
    JsonNode pad = json("params", "--prompt", "vp-pad", "--pad-width", "2", "--input", "28x28x1", "--classes", "10",
        "--json");
    assertEquals(28 * 28 - 24 * 24, pad.get("params_prompt").asLong());
    JsonNode deepLor = json("params", "--backbone", "vit-tiny", "--prompt", "deep-lor-vp", "--input", "32x32x3",
        "--classes", "10", "--json");
    assertEquals(6 * 192 * 4 * 16, deepLor.get("params_prompt").asLong());
  }

  @Test
  void theTablePrintsOneRowPerPromptedBlock() {
    CliRun run = CliRun.of("params", "--backbone", "resnet18", "--prompt", "lotep-tk", "--input", "32x32x3",
        "--classes", "10");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("prompt layers"), run.out());
    assertTrue(hasRow(run.out(), "block 0", "64 x 32 x 32", "6", "984"), run.out());
    assertTrue(hasRow(run.out(), "block 3", "128 x 16 x 16", "1", "161"), run.out());
    assertTrue(run.out().contains("2,321"), run.out());
  }

  private static boolean hasRow(String table, String site, String shape, String rank, String params) {
    String row = "\\s*" + java.util.regex.Pattern.quote(site) + "\\s+" + java.util.regex.Pattern.quote(shape)
        + "\\s+" + rank + "\\s+" + params + "\\s*";
    return table.lines().anyMatch(line -> line.matches(row));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "--prompt grouped-vp --groups 5 --backbone resnet18",
      "--prompt grouped-vp --groups -1",
      "--prompt grouped-vp --groups 8 --backbone cnn",
      "--prompt grouped-lor-vp --groups 8 --backbone cnn",
      "--prompt lotep-cp --depth-ratio 0",
      "--prompt lotep-cp --depth-ratio 1.5",
      "--prompt lotep-cp --depth-ratio half",
      "--prompt lotep-tk --rank0 0",
      "--prompt lotep-cp --rank-schedule exponential",
      "--prompt lotep-cp --backbone cnn --depth-ratio 0.2",
      "--prompt deep-lor-vp --backbone vit-tiny --depth-ratio 0.05",
      "--prompt vp-pad --pad-width 16",
      "--prompt vp-pad --pad-width 0",
      "--prompt lor-vp --lor-rank 0",
      "--prompt deep-lor-vp --lor-rank -1",
  })
  void badSettingsGiveOneLineAndExitCodeTwo(String args) {
    String[] argv = ("params --input 32x32x3 --classes 10 " + args).split(" ");
    CliRun run = CliRun.of(argv);
    assertEquals(2, run.exitCode(), run.out() + run.err());
    assertTrue(run.err().startsWith("vprompt params: error: "), run.err());
    assertTrue(run.err().strip().lines().count() <= 2, run.err());
  }

  @Test
  void helpListsTheOptions() {
    CliRun run = CliRun.of("params", "--help");
    assertEquals(0, run.exitCode());
    for (String option : new String[] {"--rank0", "--depth-ratio", "--rank-schedule", "--lotep-init-std", "--groups",
        "--lor-rank", "--pad-width", "lotep-cp", "vp-pad"}) {
      assertTrue(run.out().contains(option), option + " in\n" + run.out());
    }
  }
}

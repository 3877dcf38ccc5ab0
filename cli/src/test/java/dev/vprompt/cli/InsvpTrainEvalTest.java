package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * InsVP through the real trainer, checkpoints and eval, on 50 training images of the tiny Fashion-MNIST subset
 * (the graph is what is tested, not what it learns: every count below is independent of the data's size).
 */
class InsvpTrainEvalTest {

  @TempDir Path temp;

  @Test
  void trainsOneEpochAndEvalRebuildsItFromConfigJson() throws Exception {
    Path run = temp.resolve("run");
    CliRun train = CliRun.of("train", "--data", TinyData.write(temp.resolve("data")), "--train-per-class", "5",
        "--backbone", "vit-tiny", "--prompt", "insvp", "--insvp-blocks", "6", "--insvp-lp", "4", "--epochs", "1",
        "--out", run.toString(), "--threads", "2");
    assertEquals(0, train.exitCode(), train.out() + train.err());
    ObjectMapper json = new ObjectMapper();
    JsonNode config = json.readTree(run.resolve("config.json").toFile());
    JsonNode insvp = config.get("prompt").get("insvp");
    assertEquals("both", insvp.get("level").asText());
    assertEquals(6, insvp.get("blocks").asInt());
    assertEquals(4, insvp.get("prompt_length").asInt());
    JsonNode summary = json.readTree(run.resolve("summary.json").toFile());
    long expected = (9 * 6 + 6 + 9 * 6 + 1) + (49 * 16 + 16 + 16 * 49 + 49) + 6 * 4 * 192
        + (9 * 32 + 32) + 2 * (9 * 32 * 32 + 32) + 32 * 4 * 192 + 4 * 192;
    assertEquals(expected, summary.get("params_prompt").asLong());
    CliRun eval = CliRun.of("eval", "--run", run.toString(), "--json");
    assertEquals(0, eval.exitCode(), eval.err());
    assertEquals(summary.get("test_acc_best").asDouble(), json.readTree(eval.out()).get("test_acc").asDouble(), 0);
  }
}

package dev.vprompt.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.prompts.baselines.GroupedVp;
import dev.vprompt.graph.prompts.baselines.LorVp;
import dev.vprompt.graph.prompts.lotep.Lotep;
import dev.vprompt.graph.prompts.lotep.RankSchedule;
import dev.vprompt.core.run.Json;
import dev.vprompt.graph.prompts.lotep.LotepSettings;
import dev.vprompt.graph.prompts.PromptSettings;
import dev.vprompt.core.run.RunConfig;
import dev.vprompt.core.run.TrainingSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The LoTeP family's settings in config.json, and what they build. */
class LotepSettingsTest {

  @Test
  void roundTripsThroughConfigJson() throws Exception {
    PromptSettings settings = new PromptSettings("lotep-tk",
        new LotepSettings(4, 0.75, "linear", 0.05f, 16, 2, 3));
    String json = Json.PRETTY.writeValueAsString(settings);
    assertTrue(json.contains("\"depth_ratio\" : 0.75"), json);
    assertFalse(json.contains("msvp"), json);
    assertEquals(settings, Json.PRETTY.readValue(json, PromptSettings.class));
    assertEquals(new Lotep(Lotep.Variant.TUCKER, 4, 0.75, RankSchedule.LINEAR, 0.05f), settings.create());
    // a config.json written before the LoTeP family existed still reads
    PromptSettings old = Json.PRETTY.readValue("{\"name\":\"none\"}", PromptSettings.class);
    assertNull(old.settings(LotepSettings.class));
  }

  @Test
  void defaultsAreThoseOfTheFamily() {
    assertEquals(Lotep.defaults(Lotep.Variant.CP), PromptSettings.of("lotep-cp").create());
    assertEquals(GroupedVp.defaults(), PromptSettings.of("grouped-vp").create());
    assertNull(PromptSettings.of("msvp").settings(LotepSettings.class));
    assertThrows(IllegalArgumentException.class, () -> new PromptSettings("lotep-cp", null).create());
  }

  /** lor-vp divides its prompt by the run's normalisation std: RunConfig hands it over. */
  @Test
  void lorVpGetsTheRunsNormalisationStd() {
    float[] std = {0.25f, 0.5f, 2f};
    TrainingSettings t = new TrainingSettings(1, 8, 1e-3, 0, "adam", "all", "cosine", 0, 42, 0.1, "auto", 2, 500);
    RunConfig config = new RunConfig("embedded", "x", "cifar10", "32x32x3", List.of("a", "b"), "cnn", null,
        PromptSettings.of("lor-vp"), new float[] {0.5f, 0.5f, 0.5f}, std, t, Map.of());
    assertEquals(new LorVp(LorVp.DEFAULT_RANK, std), config.modelSpec().prompt());
  }
}

package dev.vprompt.core.run;

import dev.vprompt.graph.prompts.insvp.InsVp;
import dev.vprompt.graph.prompts.insvp.InsvpSettings;
import dev.vprompt.graph.prompts.insvp.Part;
import dev.vprompt.graph.prompts.insvp.Level;
import dev.vprompt.graph.prompts.msvp.MsvpSettings;
import dev.vprompt.graph.prompts.PromptSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** InsVP's options survive config.json, and bad ones fail as settings. */
class InsvpSettingsTest {

  @Test
  void defaultsAreThePapersInsvp() {
    PromptSettings settings = PromptSettings.of(InsVp.NAME);
    assertEquals(InsVp.defaults(), settings.create());
    assertEquals(null, settings.settings(MsvpSettings.class));
  }

  @Test
  void survivesConfigJson() throws Exception {
    InsvpSettings ablation = new InsvpSettings("both", List.of("patch", "global", "common"), 0.6f, 0.4f, 5, 8,
        4, 12, 16, 7, 1, 0f);
    PromptSettings written = new PromptSettings(InsVp.NAME, ablation);
    String json = Json.PRETTY.writeValueAsString(written);
    assertTrue(json.contains("\"prompt_length\" : 5"), json);
    PromptSettings read = Json.PRETTY.readValue(json, PromptSettings.class);
    assertEquals(written, read);
    InsVp insvp = (InsVp) read.create();
    assertEquals(EnumSet.of(Part.PATCH, Part.GLOBAL, Part.COMMON), insvp.parts());
    assertEquals(Integer.valueOf(8), insvp.promptedBlocks());
    assertEquals(Integer.valueOf(7), insvp.patchSize());
    PromptSettings defaults = Json.PRETTY.readValue(Json.PRETTY.writeValueAsString(PromptSettings.of("insvp")),
        PromptSettings.class);
    assertEquals(Level.BOTH.parts(), ((InsVp) defaults.create()).parts());
  }

  @Test
  void badOptionsFail() {
    var bad = new InsvpSettings("image", List.of("specific"), 0.7f, 0.5f, 9, null, 6, 16, 32, null, 2, 0.1f);
    assertThrows(IllegalArgumentException.class, bad::create);
    var missing = new PromptSettings(InsVp.NAME, null);
    var e = assertThrows(IllegalArgumentException.class, missing::create);
    assertTrue(e.getMessage().contains("insvp"), e.getMessage());
  }
}

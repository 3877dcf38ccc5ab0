package dev.vprompt.core.run;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vprompt.graph.prompts.PromptFamily;
import dev.vprompt.graph.prompts.PromptSettings;
import dev.vprompt.graph.prompts.Prompts;
import java.io.IOException;
import java.util.Iterator;

/**
 * config.json's {@code prompt} object, {@code {"name": ..., "<family key>": {settings}}}, read and written
 * through the prompt registry: the family of the name says which key and which settings record.
 */
final class PromptSettingsJson {

  private PromptSettingsJson() {}

  static SimpleModule module() {
    return new SimpleModule("prompt-settings")
        .addSerializer(PromptSettings.class, new Writer())
        .addDeserializer(PromptSettings.class, new Reader());
  }

  private static final class Writer extends JsonSerializer<PromptSettings> {
    @Override
    public void serialize(PromptSettings value, JsonGenerator out, SerializerProvider provider) throws IOException {
      out.writeStartObject();
      out.writeStringField("name", value.name());
      if (value.settings() != null) {
        out.writeFieldName(value.family().settingsKey());
        provider.defaultSerializeValue(value.settings(), out);
      }
      out.writeEndObject();
    }
  }

  private static final class Reader extends JsonDeserializer<PromptSettings> {
    @Override
    public PromptSettings deserialize(JsonParser in, DeserializationContext context) throws IOException {
      JsonNode node = in.getCodec().readTree(in);
      if (!(node instanceof ObjectNode object) || !object.hasNonNull("name")) {
        return context.reportInputMismatch(PromptSettings.class, "the prompt needs a name");
      }
      String name = object.get("name").asText();
      PromptFamily<?> family;
      try {
        family = Prompts.family(name);
      } catch (IllegalArgumentException e) {
        return context.reportInputMismatch(PromptSettings.class, e.getMessage());
      }
      Object settings = null;
      for (Iterator<String> keys = object.fieldNames(); keys.hasNext(); ) {
        String key = keys.next();
        if (key.equals("name")) {
          continue;
        }
        if (!key.equals(family.settingsKey())) {
          return context.reportInputMismatch(PromptSettings.class,
              "the " + name + " prompt has no settings '" + key + "'");
        }
        if (!object.get(key).isNull()) {
          settings = in.getCodec().treeToValue(object.get(key), family.settingsType());
        }
      }
      return new PromptSettings(name, settings);
    }
  }
}

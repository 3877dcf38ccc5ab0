package dev.vprompt.core.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** JSON as vprompt writes it: snake_case keys, indented files, one-line records in JSONL. */
public final class Json {

  /** For files a person reads (config.json, summary.json). */
  public static final ObjectMapper PRETTY = base().enable(SerializationFeature.INDENT_OUTPUT);
  /** For one-object-per-line files (metrics.jsonl). */
  public static final ObjectMapper LINE = base();

  private Json() {}

  private static ObjectMapper base() {
    return new ObjectMapper()
        .registerModule(PromptSettingsJson.module())
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /** Writes to a temporary sibling and renames it over {@code file}: readers never see half a file. */
  public static void writeAtomically(Path file, Object value) {
    try {
      Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
      try {
        PRETTY.writeValue(temp.toFile(), value);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw DiskSpace.writeFailure(file, e);
    }
  }

  /** Reads a JSON file, naming the file in the error when it is missing or malformed. */
  public static <T> T read(Path file, Class<T> type) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + ": missing");
    }
    try {
      return PRETTY.readValue(file.toFile(), type);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": unreadable " + what(type) + " (" + describe(e) + ")");
    }
  }

  private static String what(Class<?> type) {
    return switch (type.getSimpleName()) {
      case "RunConfig" -> "run configuration";
      case "TrainingState" -> "training state";
      case "Summary" -> "run summary";
      default -> "JSON file";
    };
  }

  /** What went wrong in vprompt's words: no parser class names, no "[Source: ...]" excerpts. */
  static String describe(IOException e) {
    if (!(e instanceof com.fasterxml.jackson.core.JsonProcessingException json)) {
      return String.valueOf(e.getMessage());
    }
    com.fasterxml.jackson.core.JsonLocation location = json.getLocation();
    String at = location == null || location.getLineNr() < 1 ? "" : " at line " + location.getLineNr() + ", column "
        + location.getColumnNr();
    String original = String.valueOf(json.getOriginalMessage());
    if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException unknown) {
      return "unknown key '" + unknown.getPropertyName() + "'" + at;
    }
    if (e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping) {
      String path = mapping.getPath().stream()
          .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
          .collect(java.util.stream.Collectors.joining("."));
      if (original.startsWith("No content to map")) {
        return "the file is empty";
      }
      return path.isEmpty() ? "not the expected JSON object" + at : "key '" + path + "' has a value of the wrong kind" + at;
    }
    if (original.contains("end-of-input")) {
      return "the file ends early" + at;
    }
    return "not valid JSON" + at;
  }
}

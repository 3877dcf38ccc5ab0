package dev.vprompt.core.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
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
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
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
      throw new IllegalArgumentException(file + ": unreadable " + type.getSimpleName() + " (" + firstLine(e) + ")");
    }
  }

  private static String firstLine(IOException e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}

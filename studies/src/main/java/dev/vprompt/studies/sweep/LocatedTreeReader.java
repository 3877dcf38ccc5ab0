package dev.vprompt.studies.sweep;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a YAML or JSON file (by its extension: {@code .json} is JSON, anything else YAML) into {@link
 * Node}s that carry their line numbers. Jackson's streaming parser supplies the locations; its data
 * binding would lose them. Duplicate keys are errors rather than silently overwritten.
 */
public final class LocatedTreeReader {

  private LocatedTreeReader() {}

  public static Node read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + ": no such sweep file");
    }
    boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    JsonFactory factory = json ? new JsonFactory() : new YAMLFactory();
    try (JsonParser parser = factory.createParser(file.toFile())) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new SweepFileException(Origin.of(file, 1), null, "the file is empty");
      }
      Node root = readValue(parser, file);
      if (parser.nextToken() != null) {
        throw new SweepFileException(origin(parser, file), null, "more than one document; a sweep file holds one map");
      }
      return root;
    } catch (JsonParseException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new SweepFileException(Origin.of(file, Math.max(line, 1)), null,
          "not valid " + (json ? "JSON" : "YAML") + ": " + summary(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static Node readValue(JsonParser parser, Path file) throws IOException {
    Origin origin = origin(parser, file);
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT: {
        Map<String, Node.Entry> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          Origin keyOrigin = origin(parser, file);
          if (entries.containsKey(key)) {
            throw new SweepFileException(keyOrigin, key,
                "given twice (first at line " + entries.get(key).keyOrigin().line() + ")");
          }
          parser.nextToken();
          entries.put(key, new Node.Entry(key, keyOrigin, readValue(parser, file)));
        }
        return new Node.MapNode(origin, entries);
      }
      case START_ARRAY: {
        List<Node> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(readValue(parser, file));
        }
        return new Node.ListNode(origin, items);
      }
      case VALUE_STRING:
        return new Node.Scalar(origin, parser.getText(), Node.Scalar.Type.STRING);
      case VALUE_NUMBER_INT:
        return new Node.Scalar(origin, parser.getText(), Node.Scalar.Type.INTEGER);
      case VALUE_NUMBER_FLOAT:
        return new Node.Scalar(origin, parser.getText(), Node.Scalar.Type.DECIMAL);
      case VALUE_TRUE:
      case VALUE_FALSE:
        return new Node.Scalar(origin, parser.getText(), Node.Scalar.Type.BOOLEAN);
      case VALUE_NULL:
        return new Node.Scalar(origin, "", Node.Scalar.Type.NULL);
      default:
        throw new SweepFileException(origin, null, "unexpected " + token);
    }
  }

  private static Origin origin(JsonParser parser, Path file) {
    return Origin.of(file, Math.max(1, parser.currentTokenLocation().getLineNr()));
  }

  /**
   * The parser's own words without its source excerpts: SnakeYAML's messages put what went wrong on
   * unindented lines and the quoted source on indented ones.
   */
  private static String summary(String message) {
    String text = String.valueOf(message).lines()
        .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
        .map(String::strip).reduce((a, b) -> a + "; " + b).orElse("");
    // Jackson's YAML layer names SnakeYAML's parser events: say what they are
    text = text.replace("Expected a field name (Scalar value in YAML), got this instead: ", "a key must be a plain "
        + "value, not ");
    java.util.regex.Matcher event = EVENT.matcher(text);
    StringBuilder plain = new StringBuilder();
    while (event.find()) {
      String kind = switch (event.group(1)) {
        case "MappingStart" -> "a map";
        case "SequenceStart" -> "a list";
        case "Scalar" -> "a value";
        case "Alias" -> "an alias";
        default -> "the end of a block";
      };
      event.appendReplacement(plain, kind);
    }
    return event.appendTail(plain).toString();
  }

  private static final java.util.regex.Pattern EVENT =
      java.util.regex.Pattern.compile("<org\\.yaml\\.snakeyaml\\.events\\.(\\w+?)Event(\\([^>]*\\))?>");
}

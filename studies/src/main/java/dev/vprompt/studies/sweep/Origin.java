package dev.vprompt.studies.sweep;

import java.nio.file.Path;

/**
 * Where a sweep setting came from, for error messages: a line of the sweep file ({@code
 * presets/table1.yaml:12}) or an override on the command line ({@code --set seeds=42,x}).
 */
public record Origin(String source, int line) {

  public static Origin of(Path file, int line) {
    return new Origin(file.toString(), line);
  }

  public static Origin commandLine(String text) {
    return new Origin(text, 0);
  }

  @Override
  public String toString() {
    return line > 0 ? source + ":" + line : source;
  }
}

package dev.vprompt.studies.sweep;

/**
 * A malformed sweep file or override, reported as {@code FILE:LINE: key 'xyz': problem}. Bad input:
 * the command line maps it to exit code 2.
 */
public final class SweepFileException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final Origin origin;
  private final String key;

  public SweepFileException(Origin origin, String key, String problem) {
    super(origin + ": " + (key == null ? "" : "key '" + key + "': ") + problem);
    this.origin = origin;
    this.key = key;
  }

  public Origin origin() {
    return origin;
  }

  /** The offending key as written, or null for a syntax error. */
  public String key() {
    return key;
  }
}

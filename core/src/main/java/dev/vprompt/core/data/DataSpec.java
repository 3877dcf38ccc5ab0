package dev.vprompt.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/** Where a dataset lives and how to read it, written on the command line as {@code KIND:DIR}. */
public record DataSpec(Kind kind, Path dir) {

  public enum Kind {
    FASHION_MNIST("fashion-mnist"),
    MNIST("mnist"),
    CIFAR10("cifar10"),
    CIFAR100("cifar100"),
    /** Any IDX files with the MNIST file names: any image size, any class count. */
    IDX("idx"),
    /** {@code DIR/train/<class>/*.png} and {@code DIR/test/<class>/...}. */
    FOLDER("folder");

    private final String id;

    Kind(String id) {
      this.id = id;
    }

    /** The name used on the command line. */
    public String id() {
      return id;
    }

    /** The CIFAR loaders also accept the .tar.gz file itself instead of a directory. */
    boolean acceptsFile() {
      return this == CIFAR10 || this == CIFAR100;
    }

    public static Kind fromId(String id) {
      String wanted = id.strip().toLowerCase(Locale.ROOT);
      for (Kind kind : values()) {
        if (kind.id.equals(wanted)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("unknown dataset kind '" + id + "'; valid kinds: " + validIds());
    }

    public static String validIds() {
      return Arrays.stream(values()).map(Kind::id).collect(Collectors.joining(", "));
    }
  }

  public DataSpec {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(dir, "dir");
  }

  /**
   * Parses {@code KIND:DIR} and checks that DIR exists.
   *
   * @throws IllegalArgumentException for a malformed spec or unknown kind
   * @throws InvalidDataException     when the directory does not exist
   */
  public static DataSpec parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty dataset spec; expected KIND:DIR with KIND one of "
          + Kind.validIds());
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("dataset spec '" + text + "' is not KIND:DIR (e.g. fashion-mnist:data/fashion);"
          + " valid kinds: " + Kind.validIds());
    }
    Kind kind = Kind.fromId(text.substring(0, colon));
    String dirText = text.substring(colon + 1).strip();
    if (dirText.isEmpty()) {
      throw new IllegalArgumentException("dataset spec '" + text + "' names no directory after '"
          + kind.id() + ":'");
    }
    DataSpec spec = new DataSpec(kind, Path.of(dirText));
    spec.checkExists();
    return spec;
  }

  /** @throws InvalidDataException when the location is missing or of the wrong type */
  public void checkExists() {
    if (kind.acceptsFile() && Files.isRegularFile(dir)) {
      return;
    }
    DataFiles.requireDirectory(dir);
  }

  @Override
  public String toString() {
    return kind.id() + ":" + dir;
  }
}

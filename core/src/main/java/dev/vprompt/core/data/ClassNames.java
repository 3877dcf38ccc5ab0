package dev.vprompt.core.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The class-name lists of the known datasets, and reading one from a text file. */
public final class ClassNames {

  /** Fashion-MNIST, in label order (upstream README). */
  public static final List<String> FASHION_MNIST = List.of(
      "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
      "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  public static final List<String> MNIST = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

  /** CIFAR-10, in label order; used when batches.meta.txt is absent. */
  public static final List<String> CIFAR10 = List.of(
      "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  private ClassNames() {
  }

  /** "class_0" .. "class_{n-1}", for data that carries no names. */
  public static List<String> generic(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("class count must be positive, got " + n);
    }
    List<String> names = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      names.add("class_" + i);
    }
    return List.copyOf(names);
  }

  /**
   * One name per non-blank line, trimmed (the CIFAR files pad with blank lines and trailing
   * spaces).
   */
  public static List<String> readLines(Path file) {
    DataFiles.requireFile(file);
    List<String> names = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String name = line.strip();
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
    } catch (IOException e) {
      throw DataFiles.failure(file, e);
    }
    if (names.isEmpty()) {
      throw new InvalidDataException(file, "no class names (file is empty)");
    }
    return List.copyOf(names);
  }

  /** Parses names from bytes held in memory (an archive entry). */
  static List<String> parse(byte[] utf8) {
    List<String> names = new ArrayList<>();
    for (String line : new String(utf8, StandardCharsets.UTF_8).split("\\R")) {
      String name = line.strip();
      if (!name.isEmpty()) {
        names.add(name);
      }
    }
    return List.copyOf(names);
  }
}

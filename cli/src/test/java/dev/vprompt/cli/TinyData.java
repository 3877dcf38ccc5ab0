package dev.vprompt.cli;

import dev.vprompt.core.data.DatasetLoader;
import dev.vprompt.core.data.SubsetWriter;
import java.io.IOException;
import java.nio.file.Path;

/** A Fashion-MNIST subset of the embedded one small enough for a grid of runs in a test: 300 train, 100 test. */
final class TinyData {
  private TinyData() {}

  /** Writes it under {@code dir} and returns its data spec. */
  static String write(Path dir) throws IOException {
    SubsetWriter.write(SubsetWriter.subset(DatasetLoader.embeddedDefault(), "fashion-mnist", 30, 10), dir);
    return "fashion-mnist:" + dir;
  }
}

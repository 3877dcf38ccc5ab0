package dev.vprompt.train.tensorboard;

import dev.vprompt.ops.io.TfRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.tensorflow.proto.Event;

/**
 * The TensorBoard event files of a log directory ({@code events.out.tfevents.*}), read with TensorFlow's
 * record reader into the {@link Event} messages TensorFlow Java ships.
 */
public final class EventFiles {
  private EventFiles() {}

  static final String PREFIX = "events.out.tfevents.";

  /** The event files of {@code dir} in the order TensorBoard reads them (by name: timestamp first). */
  public static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith(PREFIX)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Every event of every file, in order. A file ending in a truncated record (a writer killed while
   * writing) keeps the events before it, as TensorBoard does.
   */
  public static List<Event> read(Path dir) {
    List<Event> events = new ArrayList<>();
    for (Path file : list(dir)) {
      try {
        for (byte[] record : TfRecords.readUpTo(file, Integer.MAX_VALUE).records()) {
          events.add(Event.parseFrom(record));
        }
      } catch (IOException e) {
        throw new IllegalArgumentException(file + ": not a TensorBoard event file (" + e.getMessage() + ")");
      }
    }
    return events;
  }

  /** The highest step of any summary in {@code dir}, or 0 when there is none. */
  public static long lastSummaryStep(Path dir) {
    return read(dir).stream().filter(Event::hasSummary).mapToLong(Event::getStep).max().orElse(0);
  }
}

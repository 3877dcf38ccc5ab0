package dev.vprompt.ops.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.exceptions.TFOutOfRangeException;
import org.tensorflow.framework.data.Dataset;
import org.tensorflow.framework.data.DatasetIterator;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TString;

/**
 * TFRecord files read and written by TensorFlow's own dataset ops ({@code TFRecordDataset}, {@code
 * DatasetToTFRecord}), so the length and CRC framing is TensorFlow's, not ours.
 */
public final class TfRecords {
  private TfRecords() {}

  /** What a file held: its records, and whether it ended in a truncated or corrupt record. */
  public record Contents(List<byte[]> records, String damage) {
    public boolean damaged() {
      return damage != null;
    }
  }

  /** Every record of the file; a damaged record is an error naming the file. */
  public static List<byte[]> read(Path file) throws IOException {
    Contents contents = readUpTo(file, Integer.MAX_VALUE);
    if (contents.damaged()) {
      throw new IOException(file + ": " + contents.damage());
    }
    return contents.records();
  }

  /**
   * At most {@code limit} records, stopping at the first damaged one (a writer killed mid-record leaves
   * a truncated tail; TensorBoard skips it too) and saying so.
   */
  public static Contents readUpTo(Path file, int limit) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such file");
    }
    List<byte[]> read = new ArrayList<>();
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      // TFRecordDatasetV2 (what TensorFlow Java's tf.data.tfRecordDataset and the framework's
      // Dataset.tfRecordDataset build) fails in TensorFlow 2.18 when the iterator serialises it ("3 inputs
      // specified of 4"); the version-1 op reads the same files
      Operand<?> records = graph.opBuilder("TFRecordDataset", "TfRecords", tf.scope())
          .addInput(tf.constant(file.toString()).asOutput())
          .addInput(tf.constant("").asOutput())
          .addInput(tf.constant(0L).asOutput())
          .build()
          .output(0);
      Dataset dataset = new Dataset(tf, records, List.of(TString.class), List.of(Shape.scalar())) {};
      DatasetIterator iterator = dataset.makeInitializeableIterator();
      Operand<?> next = iterator.getNext().get(0);
      session.runner().addTarget(iterator.getInitializer()).run();
      while (read.size() < limit) {
        try (Result result = session.runner().fetch(next).run()) {
          read.add(((TString) result.get(0)).asBytes().getObject());
        } catch (TFOutOfRangeException end) {
          break;
        } catch (TensorFlowException damage) {
          return new Contents(read, "damaged after record " + read.size() + " (" + firstLine(damage) + ")");
        }
      }
    }
    return new Contents(read, null);
  }

  /** Writes the records, in order, as an uncompressed TFRecord file (replacing any file there). */
  public static void write(Path file, List<byte[]> records) {
    if (records.isEmpty()) {
      throw new IllegalArgumentException("no records to write to " + file);
    }
    var values = NdArrays.ofObjects(byte[].class, Shape.of(records.size()));
    for (int i = 0; i < records.size(); i++) {
      values.setObject(records.get(i), i);
    }
    try (Graph graph = new Graph(); Session session = new Session(graph); TString tensor = TString.tensorOfBytes(values)) {
      Ops tf = Ops.create(graph);
      Operand<TString> strings = tf.constantOf(tensor);
      Dataset dataset = Dataset.fromTensorSlices(tf, List.of(strings), List.of(TString.class));
      session.runner()
          .addTarget(tf.data.datasetToTfRecord(dataset.getVariant(), tf.constant(file.toString()), tf.constant("")))
          .run();
    }
  }

  private static String firstLine(Exception e) {
    String message = String.valueOf(e.getMessage()).strip();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}

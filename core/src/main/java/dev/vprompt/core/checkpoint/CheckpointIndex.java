package dev.vprompt.core.checkpoint;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.BundleEntryProto;
import org.tensorflow.proto.BundleHeaderProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * What a checkpoint in TensorFlow's V2 format ({@code <prefix>.index} + {@code
 * <prefix>.data-NNNNN-of-NNNNN}) holds, read from its index without TensorFlow: so that names and
 * shapes can be checked in Java, with clear messages, before a restore runs.
 */
public final class CheckpointIndex {
  private CheckpointIndex() {}

  public static Path indexFile(Path prefix) {
    return sibling(prefix, ".index");
  }

  /** The data shard files the index says the checkpoint has. */
  public static List<Path> dataFiles(Path prefix, int shards) {
    List<Path> files = new ArrayList<>();
    for (int shard = 0; shard < shards; shard++) {
      files.add(sibling(prefix, String.format(".data-%05d-of-%05d", shard, shards)));
    }
    return files;
  }

  /** Whether a checkpoint's index exists at this prefix. */
  public static boolean exists(Path prefix) {
    return Files.isRegularFile(indexFile(prefix));
  }

  /**
   * The tensors of the checkpoint, by name in the index's (sorted) order.
   *
   * @throws IllegalArgumentException when the index or a data file is missing, or the index is corrupt
   */
  public static Map<String, SavedTensor> read(Path prefix) throws IOException {
    Path index = indexFile(prefix);
    if (!Files.isRegularFile(index)) {
      throw new IllegalArgumentException(
          "no checkpoint at " + prefix + ": " + index + " does not exist");
    }
    Map<String, byte[]> entries = SsTable.read(Files.readAllBytes(index), index.toString());
    byte[] header = entries.get("");
    if (header == null) {
      throw new IllegalArgumentException("corrupt checkpoint index " + index + ": no header entry");
    }
    int shards = parse(index, "header", () -> BundleHeaderProto.parseFrom(header)).getNumShards();
    for (Path data : dataFiles(prefix, shards)) {
      if (!Files.isRegularFile(data)) {
        throw new IllegalArgumentException(
            "incomplete checkpoint at " + prefix + ": " + data + " does not exist");
      }
    }
    Map<String, SavedTensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
      if (entry.getKey().isEmpty()) {
        continue;
      }
      BundleEntryProto proto =
          parse(index, "'" + entry.getKey() + "'", () -> BundleEntryProto.parseFrom(entry.getValue()));
      tensors.put(
          entry.getKey(), new SavedTensor(entry.getKey(), proto.getDtype(), shape(proto.getShape())));
    }
    return Collections.unmodifiableMap(tensors);
  }

  private static Shape shape(TensorShapeProto proto) {
    if (proto.getUnknownRank()) {
      return Shape.unknown();
    }
    long[] dims = new long[proto.getDimCount()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = proto.getDim(i).getSize();
    }
    return Shape.of(dims);
  }

  private interface ProtoParser<T> {
    T parse() throws InvalidProtocolBufferException;
  }

  private static <T> T parse(Path index, String what, ProtoParser<T> parser) {
    try {
      return parser.parse();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          "corrupt checkpoint index " + index + ": entry " + what + " does not parse", e);
    }
  }

  private static Path sibling(Path prefix, String suffix) {
    return prefix.resolveSibling(prefix.getFileName() + suffix);
  }
}

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

  /**
   * Reads every tensor's bytes back from the data files and checks them against the index: each must lie
   * inside its shard and match its CRC32C, as TensorFlow checks them on restore. So a truncated or
   * garbled checkpoint is found in Java, naming the tensor, before TensorFlow ever loads it.
   *
   * @return one line per damaged tensor (empty when all are intact)
   * @throws IllegalArgumentException when the index itself is missing or corrupt
   */
  public static List<String> verifyData(Path prefix) throws IOException {
    Path index = indexFile(prefix);
    Map<String, byte[]> entries = SsTable.read(Files.readAllBytes(index), index.toString());
    byte[] header = entries.get("");
    if (header == null) {
      throw new IllegalArgumentException("corrupt checkpoint index " + index + ": no header entry");
    }
    List<Path> shards = dataFiles(prefix, parse(index, "header", () -> BundleHeaderProto.parseFrom(header))
        .getNumShards());
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
      if (entry.getKey().isEmpty()) {
        continue;
      }
      BundleEntryProto proto =
          parse(index, "'" + entry.getKey() + "'", () -> BundleEntryProto.parseFrom(entry.getValue()));
      String problem = check(proto, shards);
      if (problem != null) {
        problems.add(entry.getKey() + ": " + problem);
      }
    }
    return problems;
  }

  private static String check(BundleEntryProto entry, List<Path> shards) throws IOException {
    if (entry.getShardId() < 0 || entry.getShardId() >= shards.size()) {
      return "shard " + entry.getShardId() + " does not exist";
    }
    Path data = shards.get(entry.getShardId());
    if (!Files.isRegularFile(data)) {
      return data.getFileName() + " is missing";
    }
    long end = entry.getOffset() + entry.getSize();
    long length = Files.size(data);
    if (entry.getOffset() < 0 || entry.getSize() < 0 || end > length) {
      return String.format(java.util.Locale.ROOT, "bytes %d..%d are beyond the end of %s (%d bytes): truncated",
          entry.getOffset(), end, data.getFileName(), length);
    }
    if (entry.getSize() > Integer.MAX_VALUE) {
      return null; // larger than one array: left to TensorFlow's own check
    }
    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate((int) entry.getSize());
    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(data)) {
      while (bytes.hasRemaining() && channel.read(bytes, entry.getOffset() + bytes.position()) >= 0) {
        // read until full
      }
    }
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(bytes.array());
    int masked = mask((int) crc.getValue());
    return masked == entry.getCrc32C() ? null : "its bytes in " + data.getFileName() + " fail their CRC32C check: "
        + "garbled";
  }

  /** TensorFlow stores CRC32C values masked (crc32c::Mask), so that CRCs of CRCs stay well distributed. */
  private static int mask(int crc) {
    return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
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

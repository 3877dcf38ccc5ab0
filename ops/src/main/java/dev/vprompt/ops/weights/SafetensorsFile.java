package dev.vprompt.ops.weights;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors weights file (Hugging Face's format: an unsigned little-endian 64-bit header length, a JSON
 * header naming each tensor's dtype, shape and byte range, then the raw little-endian data), validated
 * completely when opened and read through a read-only memory map: a tensor is converted to float32 only
 * when asked for, one at a time, so a 330 MB checkpoint is never held twice.
 *
 * <p>Opening rejects, with a one-line message naming the file: files shorter than their header, headers
 * that are not a JSON object of well-formed entries, unknown dtypes, byte ranges whose length disagrees
 * with dtype x shape, ranges outside the data, overlapping ranges, holes between ranges, and data left
 * over after the last range (the reference implementation's checks).
 */
public final class SafetensorsFile implements AutoCloseable {

  /** The reference implementation's cap on the header; larger ones are hostile, not big models. */
  static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
  private static final String METADATA = "__metadata__";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final Path path;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, TensorEntry> entries;
  private final Map<String, String> metadata;

  private SafetensorsFile(Path path, FileChannel channel, long dataStart, Map<String, TensorEntry> entries,
      Map<String, String> metadata) {
    this.path = path;
    this.channel = channel;
    this.dataStart = dataStart;
    this.entries = entries;
    this.metadata = metadata;
  }

  /** Opens and validates the file; the caller closes it. */
  public static SafetensorsFile open(Path path) throws SafetensorsException {
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new SafetensorsException(path, "no such file");
    } catch (IOException e) {
      throw new SafetensorsException(path, "cannot open: " + e.getMessage(), e);
    }
    try {
      return read(path, channel);
    } catch (SafetensorsException | RuntimeException e) {
      closeQuietly(channel);
      throw e;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new SafetensorsException(path, "cannot read: " + e.getMessage(), e);
    }
  }

  private static SafetensorsFile read(Path path, FileChannel channel) throws IOException {
    long size = channel.size();
    if (size < 8) {
      throw new SafetensorsException(path, "not a safetensors file: " + size + " bytes, shorter than the 8-byte header length");
    }
    ByteBuffer start = ByteBuffer.allocate(size > 8 ? 9 : 8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, start, 0);
    long headerLength = start.flip().getLong();
    if (start.hasRemaining() && start.get() != '{') {
      throw new SafetensorsException(path, "not a safetensors file: no JSON header after the 8-byte length");
    }
    if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
      throw new SafetensorsException(path, "not a safetensors file: header length " + Long.toUnsignedString(headerLength)
          + " is outside 2.." + MAX_HEADER_BYTES);
    }
    if (headerLength > size - 8) {
      throw new SafetensorsException(path, "truncated: the header claims " + headerLength + " bytes but the file has "
          + (size - 8) + " after the length");
    }
    ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
    readFully(channel, headerBytes, 8);
    String header;
    try {
      header = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(headerBytes.flip()).toString();
    } catch (CharacterCodingException e) {
      throw new SafetensorsException(path, "not a safetensors file: the header is not UTF-8");
    }
    if (!header.startsWith("{")) {
      throw new SafetensorsException(path, "not a safetensors file: the header does not start with '{'");
    }
    JsonNode root;
    try {
      root = JSON.readTree(header);
    } catch (JsonProcessingException e) {
      throw new SafetensorsException(path, "not a safetensors file: the header is not valid JSON ("
          + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
    }
    if (root == null || !root.isObject()) {
      throw new SafetensorsException(path, "not a safetensors file: the header is not a JSON object");
    }
    long dataStart = 8 + headerLength;
    long dataLength = size - dataStart;
    Map<String, String> metadata = new LinkedHashMap<>();
    List<TensorEntry> list = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (METADATA.equals(field.getKey())) {
        metadata.putAll(metadata(path, field.getValue()));
      } else {
        list.add(entry(path, field.getKey(), field.getValue()));
      }
    }
    checkLayout(path, list, dataLength);
    Map<String, TensorEntry> entries = new LinkedHashMap<>();
    list.stream().sorted(Comparator.comparing(TensorEntry::name)).forEach(e -> entries.put(e.name(), e));
    return new SafetensorsFile(path, channel, dataStart, Collections.unmodifiableMap(entries),
        Collections.unmodifiableMap(metadata));
  }

  private static Map<String, String> metadata(Path path, JsonNode node) throws SafetensorsException {
    if (!node.isObject()) {
      throw new SafetensorsException(path, "bad header: __metadata__ is not an object");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!field.getValue().isTextual()) {
        throw new SafetensorsException(path, "bad header: __metadata__ value '" + field.getKey() + "' is not a string");
      }
      out.put(field.getKey(), field.getValue().asText());
    }
    return out;
  }

  private static TensorEntry entry(Path path, String name, JsonNode node) throws SafetensorsException {
    String where = "bad header: tensor '" + name + "' ";
    if (!node.isObject()) {
      throw new SafetensorsException(path, where + "is not an object");
    }
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw new SafetensorsException(path, where + "has no dtype");
    }
    DType dtype = DType.parse(dtypeNode.asText()).orElseThrow(
        () -> new SafetensorsException(path, where + "has the unknown dtype " + dtypeNode.asText()));
    JsonNode shapeNode = node.get("shape");
    if (shapeNode == null || !shapeNode.isArray()) {
      throw new SafetensorsException(path, where + "has no shape");
    }
    long[] shape = new long[shapeNode.size()];
    long elements = 1;
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = shapeNode.get(i);
      if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
        throw new SafetensorsException(path, where + "has a shape entry that is not a non-negative integer: " + d);
      }
      shape[i] = d.asLong();
      elements = multiplyOrFail(path, where, elements, shape[i]);
    }
    long expectedBytes = multiplyOrFail(path, where, elements, dtype.bytes());
    JsonNode offsets = node.get("data_offsets");
    if (offsets == null || !offsets.isArray() || offsets.size() != 2
        || !offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()
        || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
      throw new SafetensorsException(path, where + "has no data_offsets [begin, end]");
    }
    long begin = offsets.get(0).asLong();
    long end = offsets.get(1).asLong();
    if (begin < 0 || end < begin) {
      throw new SafetensorsException(path, where + "has data_offsets [" + begin + ", " + end + "] that run backwards");
    }
    if (end - begin != expectedBytes) {
      throw new SafetensorsException(path, where + "spans " + (end - begin) + " bytes but " + dtype + " "
          + java.util.Arrays.toString(shape) + " needs " + expectedBytes);
    }
    return new TensorEntry(name, dtype, shape, begin, end);
  }

  private static long multiplyOrFail(Path path, String where, long a, long b) throws SafetensorsException {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw new SafetensorsException(path, where + "has a size that overflows 64 bits");
    }
  }

  /** Ranges must tile the data section exactly: no overlap, no hole, nothing past the end, nothing left over. */
  private static void checkLayout(Path path, List<TensorEntry> list, long dataLength) throws SafetensorsException {
    List<TensorEntry> byOffset = new ArrayList<>(list);
    byOffset.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
    long expected = 0;
    for (TensorEntry e : byOffset) {
      if (e.end() > dataLength) {
        throw new SafetensorsException(path, "truncated or lying header: tensor '" + e.name() + "' ends at data byte "
            + e.end() + " but the file has " + dataLength + " data bytes");
      }
      if (e.begin() < expected) {
        throw new SafetensorsException(path, "bad header: tensor '" + e.name() + "' [" + e.begin() + ", " + e.end()
            + ") overlaps the tensor before it, which ends at " + expected);
      }
      if (e.begin() > expected) {
        throw new SafetensorsException(path, "bad header: " + (e.begin() - expected) + " unclaimed bytes before tensor '"
            + e.name() + "' at data byte " + expected);
      }
      expected = e.end();
    }
    if (expected != dataLength) {
      throw new SafetensorsException(path, "bad header: " + (dataLength - expected)
          + " data bytes after the last tensor belong to none");
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        throw new IOException("unexpected end of file at byte " + at);
      }
      at += n;
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // the open already failed; that failure is the one to report
    }
  }

  public Path path() {
    return path;
  }

  /** The header's {@code __metadata__} (string to string), empty when it has none. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Every tensor, by name in sorted order. */
  public Map<String, TensorEntry> entries() {
    return entries;
  }

  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  public TensorEntry entry(String name) {
    TensorEntry e = entries.get(name);
    if (e == null) {
      throw new IllegalArgumentException(path + ": no tensor named '" + name + "'");
    }
    return e;
  }

  /**
   * The tensor's values as float32 in row-major order (F32, F16 or BF16 in the file); the one copy made is
   * the returned array.
   */
  public float[] floats(String name) throws SafetensorsException {
    TensorEntry e = entry(name);
    if (!e.dtype().floatConvertible()) {
      throw new SafetensorsException(path, "tensor '" + name + "' is " + e.dtype() + ", not F32, F16 or BF16");
    }
    if (e.elements() > Integer.MAX_VALUE - 8) {
      throw new SafetensorsException(path, "tensor '" + name + "' has " + e.elements()
          + " values, more than one Java array holds");
    }
    float[] out = new float[(int) e.elements()];
    if (out.length == 0) {
      return out;
    }
    ByteBuffer data = map(e).order(ByteOrder.LITTLE_ENDIAN);
    switch (e.dtype()) {
      case F32 -> data.asFloatBuffer().get(out);
      case F16 -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = HalfFloats.halfToFloat(data.getShort(2 * i));
        }
      }
      case BF16 -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = Float.intBitsToFloat((data.getShort(2 * i) & 0xffff) << 16);
        }
      }
      default -> throw new IllegalStateException("unreachable: " + e.dtype());
    }
    return out;
  }

  /** A read-only view of the tensor's raw bytes (little-endian, as stored). */
  public ByteBuffer raw(String name) throws SafetensorsException {
    return map(entry(name)).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  private MappedByteBuffer map(TensorEntry e) throws SafetensorsException {
    try {
      return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), e.byteLength());
    } catch (IOException ex) {
      throw new SafetensorsException(path, "cannot map tensor '" + e.name() + "': " + ex.getMessage(), ex);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}

package dev.vprompt.core.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads every key and value of a LevelDB-format table: the format of a TensorFlow checkpoint's {@code
 * .index} file (tensorflow/core/lib/io/table_builder.cc, format.cc). Blocks must be uncompressed, as
 * TensorFlow's bundle writer leaves them; checksums are verified.
 */
final class SsTable {
  private static final long MAGIC = 0xdb4775248b80fb57L;
  private static final int FOOTER_LENGTH = 48;
  private static final int BLOCK_TRAILER_LENGTH = 5; // compression type byte + masked crc32c
  private static final int MASK_DELTA = 0xa282ead8;

  private final byte[] file;
  private final String source;

  private SsTable(byte[] file, String source) {
    this.file = file;
    this.source = source;
  }

  /**
   * @param source names the file in error messages
   * @return keys (as UTF-8) to values, in key order
   */
  static Map<String, byte[]> read(byte[] file, String source) {
    return new SsTable(file, source).entries();
  }

  private Map<String, byte[]> entries() {
    if (file.length < FOOTER_LENGTH) {
      throw corrupt("shorter than a table footer");
    }
    if (fixed64(file, file.length - 8) != MAGIC) {
      throw corrupt("not a TensorFlow table (bad magic number)");
    }
    Cursor footer = new Cursor(file, file.length - FOOTER_LENGTH, file.length - 8);
    footer.varint(); // meta-index block: offset, size (unused by checkpoints)
    footer.varint();
    byte[] index = block(footer.varint(), footer.varint());
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (byte[] handle : blockEntries(index).values()) {
      Cursor cursor = new Cursor(handle, 0, handle.length);
      byte[] data = block(cursor.varint(), cursor.varint());
      entries.putAll(blockEntries(data));
    }
    return entries;
  }

  /** The contents of the block at {@code offset}, its trailer checked. */
  private byte[] block(long offset, long size) {
    if (offset < 0 || size < 0 || offset + size + BLOCK_TRAILER_LENGTH > file.length - FOOTER_LENGTH) {
      throw corrupt("block [" + offset + ", +" + size + ") lies outside the file");
    }
    int start = (int) offset;
    int end = (int) (offset + size);
    byte type = file[end];
    if (type != 0) {
      throw corrupt("block at " + offset + " is compressed (type " + type + "), which is not supported");
    }
    CRC32C crc = new CRC32C();
    crc.update(file, start, (int) size + 1); // the type byte is covered too
    int actual = (int) crc.getValue();
    int masked = ((actual >>> 15) | (actual << 17)) + MASK_DELTA;
    if (masked != fixed32(file, end + 1)) {
      throw corrupt("checksum mismatch in block at " + offset);
    }
    return Arrays.copyOfRange(file, start, end);
  }

  /** A block's prefix-compressed entries; the restart array at its end is only an index, skipped. */
  private Map<String, byte[]> blockEntries(byte[] block) {
    if (block.length < 4) {
      throw corrupt("block too short");
    }
    long restarts = Integer.toUnsignedLong(fixed32(block, block.length - 4));
    long entriesEnd = block.length - 4 - 4 * restarts;
    if (restarts < 1 || entriesEnd < 0) {
      throw corrupt("bad restart count " + restarts);
    }
    Map<String, byte[]> entries = new LinkedHashMap<>();
    Cursor cursor = new Cursor(block, 0, (int) entriesEnd);
    byte[] key = new byte[0];
    while (cursor.hasMore()) {
      int shared = cursor.length();
      int unshared = cursor.length();
      int valueLength = cursor.length();
      if (shared > key.length) {
        throw corrupt("entry shares " + shared + " bytes of a " + key.length + "-byte key");
      }
      byte[] next = Arrays.copyOf(key, shared + unshared);
      System.arraycopy(cursor.bytes(unshared), 0, next, shared, unshared);
      key = next;
      entries.put(new String(key, StandardCharsets.UTF_8), cursor.bytes(valueLength));
    }
    return entries;
  }

  private IllegalArgumentException corrupt(String why) {
    return new IllegalArgumentException("corrupt checkpoint index " + source + ": " + why);
  }

  private static int fixed32(byte[] bytes, int at) {
    return (bytes[at] & 0xff)
        | (bytes[at + 1] & 0xff) << 8
        | (bytes[at + 2] & 0xff) << 16
        | (bytes[at + 3] & 0xff) << 24;
  }

  private static long fixed64(byte[] bytes, int at) {
    return Integer.toUnsignedLong(fixed32(bytes, at)) | (long) fixed32(bytes, at + 4) << 32;
  }

  /** Reads varints and byte runs from {@code [position, end)}, failing on overruns. */
  private final class Cursor {
    private final byte[] bytes;
    private final int end;
    private int position;

    Cursor(byte[] bytes, int start, int end) {
      this.bytes = bytes;
      this.position = start;
      this.end = end;
    }

    boolean hasMore() {
      return position < end;
    }

    long varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (position >= end) {
          throw corrupt("truncated varint");
        }
        byte b = bytes[position++];
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw corrupt("varint longer than 10 bytes");
    }

    int length() {
      long value = varint();
      if (value > end - position) {
        throw corrupt("length " + value + " runs past the end of its block");
      }
      return (int) value;
    }

    byte[] bytes(int length) {
      if (length > end - position) {
        throw corrupt("entry runs past the end of its block");
      }
      byte[] out = Arrays.copyOfRange(bytes, position, position + length);
      position += length;
      return out;
    }
  }
}

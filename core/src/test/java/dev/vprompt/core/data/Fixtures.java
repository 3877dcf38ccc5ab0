package dev.vprompt.core.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Builds dataset files byte by byte, independently of the production writers. */
final class Fixtures {

  private Fixtures() {
  }

  /** A 3-dim IDX image file (N,H,W). */
  static byte[] idx3(int count, int height, int width, byte[] pixels) {
    return idx(0x00000803, new int[] {count, height, width}, pixels);
  }

  /** A 4-dim IDX image file (N,H,W,C). */
  static byte[] idx4(int count, int height, int width, int channels, byte[] pixels) {
    return idx(0x00000804, new int[] {count, height, width, channels}, pixels);
  }

  static byte[] idxLabels(int... labels) {
    byte[] raw = new byte[labels.length];
    for (int i = 0; i < labels.length; i++) {
      raw[i] = (byte) labels[i];
    }
    return idx(0x00000801, new int[] {labels.length}, raw);
  }

  static byte[] idx(int magic, int[] dims, byte[] body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(magic);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Bytes 0, 1, 2, ... (mod 256), so every pixel position is recognisable. */
  static byte[] ramp(int length, int start) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (start + i);
    }
    return b;
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static Path write(Path file, byte[] data) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.write(file, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path writeText(Path file, String text) {
    return write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** A plain POSIX ustar archive of regular files (order kept), ending in two zero blocks. */
  static byte[] tar(Map<String, byte[]> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      byte[] header = new byte[512];
      put(header, 0, e.getKey());
      put(header, 100, "0000644");
      put(header, 108, "0001750");
      put(header, 116, "0001750");
      put(header, 124, String.format("%011o", e.getValue().length));
      put(header, 136, String.format("%011o", 1_250_000_000L));
      header[156] = '0';
      put(header, 257, "ustar");
      put(header, 263, "00");
      Arrays.fill(header, 148, 156, (byte) ' ');
      int sum = 0;
      for (byte b : header) {
        sum += b & 0xFF;
      }
      put(header, 148, String.format("%06o", sum));
      header[155] = ' ';
      out.writeBytes(header);
      out.writeBytes(e.getValue());
      out.writeBytes(new byte[(512 - e.getValue().length % 512) % 512]);
    }
    out.writeBytes(new byte[1024]);
    return out.toByteArray();
  }

  private static void put(byte[] header, int offset, String text) {
    byte[] b = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, header, offset, b.length);
  }
}

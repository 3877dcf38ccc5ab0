package dev.vprompt.core.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Opening dataset files (raw or gzip) and turning low-level I/O failures into InvalidDataException. */
final class DataFiles {

  static final int BUFFER = 1 << 16;
  private static final int FIRST_CHUNK = 1 << 24;
  private static final int GZIP_MAGIC_1 = 0x1f;
  private static final int GZIP_MAGIC_2 = 0x8b;

  private DataFiles() {
  }

  /**
   * Opens a file for buffered reading, transparently inflating it when it starts with the gzip
   * magic bytes (the name is not trusted: "foo.gz" may be raw and "foo" may be gzip).
   */
  static InputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
    try {
      raw.mark(2);
      int b1 = raw.read();
      int b2 = raw.read();
      raw.reset();
      if (b1 == GZIP_MAGIC_1 && b2 == GZIP_MAGIC_2) {
        return new GZIPInputStream(raw, BUFFER);
      }
      return raw;
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /** Reads up to {@code len} bytes, stopping only at end of stream; returns how many were read. */
  static int readFully(InputStream in, byte[] dst, int off, int len) throws IOException {
    int total = 0;
    while (total < len) {
      int n = in.read(dst, off + total, len - total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  /**
   * Reads until {@code expected} bytes or end of stream, whichever comes first. The buffer grows
   * as data arrives, so a corrupt header that announces gigabytes cannot trigger a huge
   * allocation before the data runs out.
   */
  static byte[] readUpTo(InputStream in, int expected) throws IOException {
    byte[] buf = new byte[Math.min(expected, FIRST_CHUNK)];
    int n = 0;
    while (n < expected) {
      if (n == buf.length) {
        buf = Arrays.copyOf(buf, (int) Math.min(expected, 2L * buf.length));
      }
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    return n == buf.length ? buf : Arrays.copyOf(buf, n);
  }

  /** How much surplus data is counted before a file is called oversized (an inflating bomb stops here). */
  static final long MAX_EXTRA = 1 << 24;

  /** Counts (and discards) what is left in the stream, stopping once past {@code cap}. */
  static long remaining(InputStream in, long cap) throws IOException {
    byte[] buffer = new byte[BUFFER];
    long total = 0;
    for (int n; total <= cap && (n = in.read(buffer)) >= 0; ) {
      total += n;
    }
    return total;
  }

  /** A regular file that must exist, or an InvalidDataException naming it. */
  static Path requireFile(Path file) {
    if (!Files.exists(file)) {
      throw new InvalidDataException(file, "not found");
    }
    if (!Files.isRegularFile(file)) {
      throw new InvalidDataException(file, "not a regular file");
    }
    return file;
  }

  /** A directory that must exist, or an InvalidDataException naming it. */
  static Path requireDirectory(Path dir) {
    if (!Files.exists(dir)) {
      throw new InvalidDataException(dir, "directory not found");
    }
    if (!Files.isDirectory(dir)) {
      throw new InvalidDataException(dir, "not a directory");
    }
    return dir;
  }

  /** Translates an I/O failure while reading {@code file} into a user-facing message. */
  static InvalidDataException failure(Path file, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new InvalidDataException(file, "not found", e);
    }
    if (e instanceof AccessDeniedException) {
      return new InvalidDataException(file, "permission denied", e);
    }
    if (e instanceof ZipException) {
      return new InvalidDataException(file, "corrupt gzip data (" + e.getMessage() + ")", e);
    }
    if (e instanceof EOFException) {
      // GZIPInputStream's way of saying the compressed stream stops early
      return new InvalidDataException(file, "truncated gzip data (unexpected end of compressed stream)", e);
    }
    return new InvalidDataException(file, "cannot read: " + e, e);
  }
}

package dev.vprompt.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A minimal reader for tar archives (ustar, GNU long names, pax paths), optionally gzip-compressed,
 * enough to pull the CIFAR binaries out of the distributed .tar.gz without unpacking it to disk
 * and without a dependency.
 */
final class TarReader {

  private static final int BLOCK = 512;

  private TarReader() {
  }

  /**
   * Returns the contents of the regular files whose base name (the part after the last '/') is in
   * {@code wanted}, keyed by base name; the first entry of a name wins. Other entries are skipped.
   */
  static Map<String, byte[]> readFiles(Path archive, Set<String> wanted) {
    DataFiles.requireFile(archive);
    Map<String, byte[]> found = new LinkedHashMap<>();
    try (InputStream in = DataFiles.open(archive)) {
      byte[] header = new byte[BLOCK];
      long offset = 0;
      String longName = null;
      while (true) {
        int n = DataFiles.readFully(in, header, 0, BLOCK);
        if (n == 0 && offset == 0) {
          throw new InvalidDataException(archive, "empty archive");
        }
        if (n < BLOCK) {
          throw new InvalidDataException(archive, "truncated tar archive: header at offset " + offset
              + " has only " + n + " of " + BLOCK + " bytes");
        }
        if (isZeroBlock(header)) {
          return found; // end-of-archive marker
        }
        checkChecksum(archive, header, offset);
        offset += BLOCK;
        char type = (char) header[156];
        long size = parseSize(archive, header, offset - BLOCK);
        String name = longName != null ? longName : entryName(header);
        longName = null;

        if (type == 'L' || type == 'x') {
          // GNU long name or pax extended header: both describe the next entry's name
          byte[] data = readEntry(in, archive, "metadata", size);
          longName = type == 'L' ? cString(data, 0, data.length) : paxPath(data);
        } else if ((type == '0' || type == '\0' || type == '7') && wanted.contains(baseName(name))
            && !found.containsKey(baseName(name))) {
          found.put(baseName(name), readEntry(in, archive, name, size));
        } else {
          skip(in, archive, name, size);
        }
        offset += padded(size);
      }
    } catch (IOException e) {
      throw DataFiles.failure(archive, e);
    }
  }

  private static byte[] readEntry(InputStream in, Path archive, String name, long size) throws IOException {
    if (size > Integer.MAX_VALUE - 16) {
      throw new InvalidDataException(archive, "entry " + name + " is too large to load: " + size + " bytes");
    }
    DataLimits.requireBytes(archive, size, "tar entry " + name);
    byte[] data = DataFiles.readUpTo(in, (int) size);
    if (data.length < size) {
      throw new InvalidDataException(archive, "truncated tar archive: entry " + name + " expects "
          + size + " bytes, found " + data.length);
    }
    skipExactly(in, archive, name, padded(size) - size);
    return data;
  }

  private static void skip(InputStream in, Path archive, String name, long size) throws IOException {
    skipExactly(in, archive, name, padded(size));
  }

  private static void skipExactly(InputStream in, Path archive, String name, long count) throws IOException {
    byte[] scratch = new byte[(int) Math.min(count, DataFiles.BUFFER)];
    long left = count;
    while (left > 0) {
      int n = in.read(scratch, 0, (int) Math.min(left, scratch.length));
      if (n < 0) {
        throw new InvalidDataException(archive, "truncated tar archive inside entry " + name);
      }
      left -= n;
    }
  }

  private static long padded(long size) {
    return (size + BLOCK - 1) / BLOCK * BLOCK;
  }

  private static boolean isZeroBlock(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static void checkChecksum(Path archive, byte[] header, long offset) {
    long stored = parseOctal(header, 148, 8);
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int b = (i >= 148 && i < 156) ? ' ' : header[i];
      unsigned += b & 0xFF;
      signed += b;
    }
    // some old tars summed signed bytes; accept either
    if (stored != unsigned && stored != signed) {
      throw new InvalidDataException(archive, "not a tar archive or corrupt: bad header checksum at offset "
          + offset);
    }
  }

  private static long parseSize(Path archive, byte[] header, long offset) {
    if ((header[124] & 0x80) != 0) {
      // GNU base-256 for sizes beyond 8 GiB
      long size = header[124] & 0x7F;
      for (int i = 125; i < 136; i++) {
        size = (size << 8) | (header[i] & 0xFF);
      }
      return size;
    }
    long size = parseOctal(header, 124, 12);
    if (size < 0) {
      throw new InvalidDataException(archive, "corrupt tar header at offset " + offset + ": bad size field");
    }
    return size;
  }

  /** Octal number padded with spaces or NULs; -1 if it holds anything else. */
  private static long parseOctal(byte[] b, int off, int len) {
    long value = 0;
    boolean digits = false;
    for (int i = off; i < off + len; i++) {
      int c = b[i];
      if (c >= '0' && c <= '7') {
        value = value * 8 + (c - '0');
        digits = true;
      } else if (c == 0 || c == ' ') {
        if (digits) {
          break;
        }
      } else {
        return -1;
      }
    }
    return value;
  }

  private static String entryName(byte[] header) {
    String name = cString(header, 0, 100);
    // POSIX ustar splits long paths into prefix + name; old GNU reuses that area for other data
    boolean posixUstar = header[257] == 'u' && header[258] == 's' && header[259] == 't'
        && header[260] == 'a' && header[261] == 'r' && header[262] == 0;
    if (posixUstar && header[345] != 0) {
      name = cString(header, 345, 155) + "/" + name;
    }
    return name;
  }

  private static String paxPath(byte[] data) {
    // records look like "27 path=some/long/name.bin\n"
    String text = new String(data, StandardCharsets.UTF_8);
    for (String record : text.split("\n")) {
      int space = record.indexOf(' ');
      if (space > 0 && record.startsWith("path=", space + 1)) {
        return record.substring(space + 1 + "path=".length());
      }
    }
    return null;
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  static String baseName(String name) {
    String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }
}

package dev.vprompt.core.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes IDX files that {@link IdxReader} (and every MNIST loader) reads. A name ending in ".gz"
 * gets gzip compression; Java's gzip header carries no timestamp, so output is reproducible.
 */
public final class IdxWriter {

  private IdxWriter() {
  }

  /** Writes images as 3-dim IDX (N,H,W) when single-channel, else 4-dim (N,H,W,C). */
  public static void writeImages(Path file, ImageSet set) throws IOException {
    try (DataOutputStream out = new DataOutputStream(create(file))) {
      if (set.channels() == 1) {
        out.writeInt(IdxReader.IMAGES_MAGIC_3D);
        out.writeInt(set.count());
        out.writeInt(set.height());
        out.writeInt(set.width());
      } else {
        out.writeInt(IdxReader.IMAGES_MAGIC_4D);
        out.writeInt(set.count());
        out.writeInt(set.height());
        out.writeInt(set.width());
        out.writeInt(set.channels());
      }
      out.write(set.pixels());
    }
  }

  /** Writes the labels as a 1-dim IDX file; labels must fit in an unsigned byte. */
  public static void writeLabels(Path file, ImageSet set) throws IOException {
    int[] labels = set.labels();
    byte[] raw = new byte[labels.length];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] > 255) {
        throw new IllegalArgumentException("label " + labels[i] + " does not fit an IDX unsigned byte");
      }
      raw[i] = (byte) labels[i];
    }
    try (DataOutputStream out = new DataOutputStream(create(file))) {
      out.writeInt(IdxReader.LABELS_MAGIC);
      out.writeInt(labels.length);
      out.write(raw);
    }
  }

  private static OutputStream create(Path file) throws IOException {
    OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), DataFiles.BUFFER);
    if (!file.getFileName().toString().endsWith(".gz")) {
      return raw;
    }
    try {
      return new BestGzipOutputStream(raw);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /** The committed test data should be as small as gzip allows. */
  private static final class BestGzipOutputStream extends GZIPOutputStream {
    BestGzipOutputStream(OutputStream out) throws IOException {
      super(out, DataFiles.BUFFER);
      def.setLevel(Deflater.BEST_COMPRESSION);
    }
  }
}

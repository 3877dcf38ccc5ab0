package dev.vprompt.core.data;

import java.io.ByteArrayOutputStream;

/** CIFAR binary records whose pixel values encode (record, channel, position). */
final class CifarFixtures {

  static final int PLANE = 1024;

  private CifarFixtures() {
  }

  /** The value stored for a record's channel at plane position {@code p} (= y*32 + x). */
  static int value(int record, int channel, int p) {
    return (record * 31 + channel * 85 + p * 7) & 0xFF;
  }

  /** {@code count} CIFAR-10 records numbered from {@code firstRecord}; labels given per record. */
  static byte[] cifar10(int firstRecord, int... labels) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int r = 0; r < labels.length; r++) {
      out.write(labels[r]);
      writePlanes(out, firstRecord + r);
    }
    return out.toByteArray();
  }

  /** CIFAR-100 records: coarse label then fine label, then the planes. */
  static byte[] cifar100(int firstRecord, int[] coarse, int[] fine) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int r = 0; r < fine.length; r++) {
      out.write(coarse[r]);
      out.write(fine[r]);
      writePlanes(out, firstRecord + r);
    }
    return out.toByteArray();
  }

  private static void writePlanes(ByteArrayOutputStream out, int record) {
    for (int c = 0; c < 3; c++) {
      for (int p = 0; p < PLANE; p++) {
        out.write(value(record, c, p));
      }
    }
  }
}

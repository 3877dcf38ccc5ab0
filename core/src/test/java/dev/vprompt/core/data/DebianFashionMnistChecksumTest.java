package dev.vprompt.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Checks the Fashion-MNIST MD5s in the download catalog against real data: Debian's files.
 *
 * <p>Debian's build ran strip-nondeterminism over the .gz files, which clears the FNAME flag,
 * drops the stored file name and replaces the timestamp, but copies the compressed stream
 * unchanged. Restoring the upstream header (flag, timestamp, name) must reproduce the upstream
 * file byte for byte. The timestamps were recovered once by searching 2017 for the one that
 * matches; they are the files' creation times at Zalando (2017-08-31 10:50 UTC).
 */
class DebianFashionMnistChecksumTest {

  private static final long TRAIN_MTIME = 1_504_176_606L; // 2017-08-31T10:50:06Z
  private static final long TEST_MTIME = 1_504_176_627L;  // 2017-08-31T10:50:27Z

  @Test
  void upstreamChecksumsMatchDebiansData() throws IOException, NoSuchAlgorithmException {
    Path debian = SubsetWriter.DEBIAN_FASHION_MNIST;
    assumeTrue(Files.isDirectory(debian), "dataset-fashion-mnist is not installed");
    RemoteDataset catalog = DatasetDownloader.standardCatalog().get("fashion-mnist");
    assertEquals(4, catalog.files().size());
    for (RemoteDataset.RemoteFile file : catalog.files()) {
      byte[] debianGz = Files.readAllBytes(debian.resolve(file.name()));
      long mtime = file.name().startsWith("train") ? TRAIN_MTIME : TEST_MTIME;
      byte[] upstream = restoreHeader(debianGz, file.name().replace(".gz", ""), mtime);
      String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(upstream));
      assertEquals(file.md5(), md5, file.name());
    }
  }

  /** Rebuilds gzip's header with FNAME set: ID1 ID2 CM FLG MTIME(le32) XFL OS name\0, then the rest. */
  private static byte[] restoreHeader(byte[] stripped, String name, long mtime) {
    assertEquals(0, stripped[3], "Debian's header carries no optional fields");
    byte[] header = Arrays.copyOf(stripped, 10);
    header[3] = 0x08;
    for (int i = 0; i < 4; i++) {
      header[4 + i] = (byte) (mtime >>> (8 * i));
    }
    byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.ISO_8859_1);
    return Fixtures.concat(header, nameBytes, Arrays.copyOfRange(stripped, 10, stripped.length));
  }
}

package dev.vprompt.core.data;

import static dev.vprompt.core.data.DataAssertions.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {

  private static final String META = "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n";
  private static final List<String> NAMES_10 = List.of(
      "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  @TempDir
  Path dir;

  /** Train batches 1..5 hold 2 records each (numbered 0..9), the test batch 3 (numbered 100..102). */
  private static Map<String, byte[]> cifar10Files() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("batches.meta.txt", META.getBytes());
    for (int b = 1; b <= 5; b++) {
      int first = 2 * (b - 1);
      files.put("data_batch_" + b + ".bin", CifarFixtures.cifar10(first, first % 10, (first + 1) % 10));
    }
    files.put("test_batch.bin", CifarFixtures.cifar10(100, 9, 0, 4));
    return files;
  }

  private static Path writeFolder(Path folder, Map<String, byte[]> files) {
    files.forEach((name, bytes) -> Fixtures.write(folder.resolve(name), bytes));
    return folder;
  }

  private static Map<String, byte[]> under(String folder, Map<String, byte[]> files) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    files.forEach((name, bytes) -> out.put(folder + "/" + name, bytes));
    return out;
  }

  private static void assertCifar10(DatasetSplits splits) {
    assertEquals("cifar10", splits.name());
    assertEquals(NAMES_10, splits.classNames());
    ImageSet train = splits.train();
    assertEquals(10, train.count());
    assertEquals("32x32x3", train.shape());
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, train.labels());
    ImageSet test = splits.test();
    assertArrayEquals(new int[] {9, 0, 4}, test.labels());
    // planar CHW in the file -> interleaved HWC in memory, checked at a few known pixels
    for (int[] yx : new int[][] {{0, 0}, {0, 31}, {5, 17}, {31, 31}}) {
      int p = yx[0] * 32 + yx[1];
      for (int c = 0; c < 3; c++) {
        assertEquals(CifarFixtures.value(7, c, p), train.pixel(7, yx[0], yx[1], c));
        assertEquals(CifarFixtures.value(102, c, p), test.pixel(2, yx[0], yx[1], c));
      }
    }
  }

  @Test
  void convertsPlanarRecordsToInterleavedPixels() {
    // image 0 of record 0: red (0,0)=0, green (0,0)=85, blue (0,0)=170, red (0,1)=7
    writeFolder(dir, cifar10Files());
    ImageSet train = CifarReader.read(dir, CifarReader.Variant.CIFAR10).train();
    assertArrayEquals(new byte[] {0, 85, (byte) 170, 7, 92, (byte) 177}, Arrays.copyOf(train.pixels(), 6));
  }

  @Test
  void readsTheExtractedFolderInsideTheGivenDirectory() {
    writeFolder(dir.resolve("cifar-10-batches-bin"), cifar10Files());
    assertCifar10(CifarReader.read(dir, CifarReader.Variant.CIFAR10));
  }

  @Test
  void readsTheExtractedFolderItself() {
    Path folder = writeFolder(dir.resolve("cifar-10-batches-bin"), cifar10Files());
    assertCifar10(CifarReader.read(folder, CifarReader.Variant.CIFAR10));
  }

  @Test
  void readsTheArchiveInsideTheDirectoryAndTheArchiveItself() {
    byte[] tgz = Fixtures.gzip(Fixtures.tar(under("cifar-10-batches-bin", cifar10Files())));
    Path archive = Fixtures.write(dir.resolve("cifar-10-binary.tar.gz"), tgz);
    assertCifar10(CifarReader.read(dir, CifarReader.Variant.CIFAR10));
    assertCifar10(CifarReader.read(archive, CifarReader.Variant.CIFAR10));
  }

  @Test
  void readsAnArchiveMadeByTheSystemTar() throws IOException, InterruptedException {
    Path src = writeFolder(dir.resolve("src/cifar-10-batches-bin"), cifar10Files());
    // a long directory name forces GNU tar to use a long-name entry
    Path deep = dir.resolve("src/" + "d".repeat(120));
    writeFolder(deep, Map.of("readme.html", "<p>x</p>".getBytes()));
    Path archive = dir.resolve("cifar-10-binary.tar.gz");
    Process tar;
    try {
      tar = new ProcessBuilder("tar", "-czf", archive.toString(), "-C", dir.resolve("src").toString(),
          deep.getFileName().toString(), src.getFileName().toString()).inheritIO().start();
    } catch (IOException noTar) {
      assumeTrue(false, "no tar command: " + noTar.getMessage());
      return;
    }
    assumeTrue(tar.waitFor(30, TimeUnit.SECONDS) && tar.exitValue() == 0, "tar failed");
    assertCifar10(CifarReader.read(archive, CifarReader.Variant.CIFAR10));
  }

  @Test
  void usesBuiltInNamesWhenTheMetaFileIsAbsent() {
    Map<String, byte[]> files = cifar10Files();
    files.remove("batches.meta.txt");
    writeFolder(dir, files);
    assertEquals(NAMES_10, CifarReader.read(dir, CifarReader.Variant.CIFAR10).classNames());
  }

  @Test
  void readsCifar100FineLabelsAndNames() {
    StringBuilder names = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      names.append("fine").append(i).append('\n');
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("fine_label_names.txt", names.toString().getBytes());
    files.put("train.bin", CifarFixtures.cifar100(0, new int[] {3, 19, 0}, new int[] {99, 42, 7}));
    files.put("test.bin", CifarFixtures.cifar100(50, new int[] {5}, new int[] {61}));
    byte[] tgz = Fixtures.gzip(Fixtures.tar(under("cifar-100-binary", files)));
    Fixtures.write(dir.resolve("cifar-100-binary.tar.gz"), tgz);

    DatasetSplits splits = CifarReader.read(dir, CifarReader.Variant.CIFAR100);
    assertEquals("cifar100", splits.name());
    assertEquals(100, splits.numClasses());
    assertEquals("fine42", splits.classNames().get(42));
    assertArrayEquals(new int[] {99, 42, 7}, splits.train().labels());
    assertArrayEquals(new int[] {61}, splits.test().labels());
    assertEquals(CifarFixtures.value(2, 1, 33 * 1 + 32 * 0), splits.train().pixel(2, 1, 1, 1));
    assertEquals(CifarFixtures.value(50, 2, 32 * 31 + 30), splits.test().pixel(0, 31, 30, 2));

    writeFolder(dir.resolve("cifar-100-binary"), files);
    assertArrayEquals(splits.train().pixels(), CifarReader.read(dir, CifarReader.Variant.CIFAR100).train().pixels());
  }

  @Test
  void rejectsASizeThatIsNotAWholeNumberOfRecords() {
    Map<String, byte[]> files = cifar10Files();
    files.put("data_batch_3.bin", Arrays.copyOf(files.get("data_batch_3.bin"), 3073 + 100));
    writeFolder(dir, files);
    assertInvalid(dir.resolve("data_batch_3.bin"), () -> CifarReader.read(dir, CifarReader.Variant.CIFAR10),
        "size 3173 is not a multiple of the 3073-byte CIFAR-10 record");
  }

  @Test
  void rejectsATruncatedRecordInsideTheArchive() {
    Map<String, byte[]> files = cifar10Files();
    files.put("test_batch.bin", Arrays.copyOf(files.get("test_batch.bin"), 3 * 3073 - 1));
    Path archive = Fixtures.write(dir.resolve("c.tar.gz"), Fixtures.gzip(Fixtures.tar(files)));
    assertInvalid(archive, () -> CifarReader.read(archive, CifarReader.Variant.CIFAR10),
        "entry test_batch.bin", "not a multiple of the 3073-byte");
  }

  @Test
  void rejectsCifar100RecordsReadAsCifar10() {
    Map<String, byte[]> files = cifar10Files();
    files.put("data_batch_1.bin", CifarFixtures.cifar100(0, new int[] {1}, new int[] {2}));
    writeFolder(dir, files);
    assertInvalid(dir.resolve("data_batch_1.bin"), () -> CifarReader.read(dir, CifarReader.Variant.CIFAR10),
        "not a multiple of the 3073-byte CIFAR-10 record");
  }

  @Test
  void rejectsALabelOutsideTheClasses() {
    Map<String, byte[]> files = cifar10Files();
    files.put("data_batch_2.bin", CifarFixtures.cifar10(2, 4, 10));
    writeFolder(dir, files);
    assertInvalid(dir.resolve("data_batch_2.bin"), () -> CifarReader.read(dir, CifarReader.Variant.CIFAR10),
        "record 1 has label 10, outside [0, 9]");
  }

  @Test
  void rejectsAMissingBatch() {
    Map<String, byte[]> files = cifar10Files();
    files.remove("data_batch_4.bin");
    writeFolder(dir, files);
    assertInvalid(dir.resolve("data_batch_4.bin"), () -> CifarReader.read(dir, CifarReader.Variant.CIFAR10),
        "not found");
    Path archive = Fixtures.write(dir.resolve("x.tar.gz"), Fixtures.gzip(Fixtures.tar(files)));
    assertInvalid(archive, () -> CifarReader.read(archive, CifarReader.Variant.CIFAR10),
        "not a CIFAR-10 binary archive: missing data_batch_4.bin");
  }

  @Test
  void rejectsAWrongNumberOfClassNames() {
    Map<String, byte[]> files = cifar10Files();
    files.put("batches.meta.txt", "cat\ndog\n".getBytes());
    writeFolder(dir, files);
    assertInvalid(dir.resolve("batches.meta.txt"), () -> CifarReader.read(dir, CifarReader.Variant.CIFAR10),
        "has 2 class names, expected 10");
  }

  @Test
  void rejectsATruncatedArchive() {
    byte[] tgz = Fixtures.gzip(Fixtures.tar(cifar10Files()));
    Path archive = Fixtures.write(dir.resolve("cifar-10-binary.tar.gz"), Arrays.copyOf(tgz, tgz.length / 2));
    assertInvalid(archive, () -> CifarReader.read(archive, CifarReader.Variant.CIFAR10), "truncated");
    byte[] tar = Fixtures.tar(cifar10Files());
    // meta entry = header + one data block, then data_batch_1's header and 2976 of its 6146 bytes
    Path plain = Fixtures.write(dir.resolve("plain.tar"), Arrays.copyOf(tar, 1024 + 512 + 2976));
    assertInvalid(plain, () -> CifarReader.read(plain, CifarReader.Variant.CIFAR10),
        "truncated tar archive: entry data_batch_1.bin expects 6146 bytes, found 2976");
  }

  @Test
  void rejectsSomethingThatIsNotATar() {
    Path archive = Fixtures.write(dir.resolve("cifar-10-binary.tar.gz"), Fixtures.gzip(Fixtures.ramp(4096, 1)));
    assertInvalid(archive, () -> CifarReader.read(archive, CifarReader.Variant.CIFAR10),
        "not a tar archive or corrupt: bad header checksum at offset 0");
    Path garbage = Fixtures.write(dir.resolve("garbage.tar.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2});
    assertInvalid(garbage, () -> CifarReader.read(garbage, CifarReader.Variant.CIFAR10), "gzip");
  }

  @Test
  void explainsWhatItLookedForInAnEmptyDirectory() throws IOException {
    Files.createDirectories(dir.resolve("empty"));
    Path empty = dir.resolve("empty");
    assertInvalid(empty, () -> CifarReader.read(empty, CifarReader.Variant.CIFAR100),
        "no CIFAR-100 data", "cifar-100-binary/", "train.bin", "cifar-100-binary.tar.gz");
  }
}

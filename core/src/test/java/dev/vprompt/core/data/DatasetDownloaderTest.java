package dev.vprompt.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs against a local HTTP server on 127.0.0.1 only; never the real network. */
class DatasetDownloaderTest {

  private static final byte[] IMAGES = Fixtures.gzip(Fixtures.idx3(2, 3, 3, Fixtures.ramp(18, 1)));
  private static final byte[] LABELS = Fixtures.gzip(Fixtures.idxLabels(0, 1));

  @TempDir
  Path target;

  private HttpServer server;
  private final Map<String, byte[]> served = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private URI base;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/files/", exchange -> {
      requests.incrementAndGet();
      String name = exchange.getRequestURI().getPath().substring("/files/".length());
      byte[] body = served.get(name);
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
      exchange.close();
    });
    server.start();
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/files");
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private static String md5(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }

  private DatasetDownloader downloader(String imagesMd5, String labelsMd5) {
    RemoteDataset tiny = new RemoteDataset("tiny", base, List.of(
        new RemoteDataset.RemoteFile("train-images-idx3-ubyte.gz", imagesMd5),
        new RemoteDataset.RemoteFile("train-labels-idx1-ubyte.gz", labelsMd5)));
    return new DatasetDownloader(Map.of("tiny", tiny), HttpClient.newHttpClient());
  }

  /** Records what the downloader reports. */
  private static final class Recorder implements DownloadListener {
    final List<String> events = new ArrayList<>();
    long lastDone = -1;
    long lastTotal = -1;

    @Override
    public void progress(String file, long bytesDone, long bytesTotal) {
      lastDone = bytesDone;
      lastTotal = bytesTotal;
    }

    @Override
    public void skipped(String file, Path path) {
      events.add("skipped " + file);
    }

    @Override
    public void finished(String file, Path path) {
      events.add("finished " + file);
    }
  }

  private List<String> leftovers() throws IOException {
    try (Stream<Path> files = Files.list(target)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".part")).toList();
    }
  }

  @Test
  void downloadsVerifiesAndMovesIntoPlace() throws Exception {
    served.put("train-images-idx3-ubyte.gz", IMAGES);
    served.put("train-labels-idx1-ubyte.gz", LABELS);
    Recorder recorder = new Recorder();
    Path into = target.resolve("new/dir");
    List<Path> paths = downloader(md5(IMAGES), md5(LABELS)).download("tiny", into, recorder);

    assertEquals(List.of(into.resolve("train-images-idx3-ubyte.gz"), into.resolve("train-labels-idx1-ubyte.gz")),
        paths);
    assertArrayEquals(IMAGES, Files.readAllBytes(paths.get(0)));
    assertArrayEquals(LABELS, Files.readAllBytes(paths.get(1)));
    assertEquals(List.of("finished train-images-idx3-ubyte.gz", "finished train-labels-idx1-ubyte.gz"),
        recorder.events);
    assertEquals(LABELS.length, recorder.lastDone);
    assertEquals(LABELS.length, recorder.lastTotal);
    assertEquals(2, requests.get());
    // and what arrived is loadable
    assertEquals(2, IdxReader.read(paths.get(0), paths.get(1)).count());
  }

  @Test
  void skipsFilesThatAreAlreadyCorrect() throws Exception {
    served.put("train-images-idx3-ubyte.gz", IMAGES);
    served.put("train-labels-idx1-ubyte.gz", LABELS);
    DatasetDownloader downloader = downloader(md5(IMAGES), md5(LABELS));
    downloader.download("tiny", target, DownloadListener.NONE);
    assertEquals(2, requests.get());

    Recorder recorder = new Recorder();
    downloader.download("tiny", target, recorder);
    assertEquals(2, requests.get(), "no new requests");
    assertEquals(List.of("skipped train-images-idx3-ubyte.gz", "skipped train-labels-idx1-ubyte.gz"),
        recorder.events);
  }

  @Test
  void replacesAnExistingFileWithTheWrongChecksum() throws Exception {
    served.put("train-images-idx3-ubyte.gz", IMAGES);
    served.put("train-labels-idx1-ubyte.gz", LABELS);
    Fixtures.write(target.resolve("train-images-idx3-ubyte.gz"), new byte[] {1, 2, 3});
    downloader(md5(IMAGES), md5(LABELS)).download("tiny", target, DownloadListener.NONE);
    assertArrayEquals(IMAGES, Files.readAllBytes(target.resolve("train-images-idx3-ubyte.gz")));
    assertEquals(2, requests.get());
  }

  @Test
  void rejectsABadChecksumAndKeepsNothing() throws Exception {
    byte[] tampered = IMAGES.clone();
    tampered[tampered.length - 1] ^= 1;
    served.put("train-images-idx3-ubyte.gz", tampered);
    served.put("train-labels-idx1-ubyte.gz", LABELS);
    Path file = target.resolve("train-images-idx3-ubyte.gz");
    String expected = md5(IMAGES);
    InvalidDataException e = DataAssertions.assertInvalid(file,
        () -> downloader(expected, md5(LABELS)).download("tiny", target, DownloadListener.NONE),
        "checksum mismatch for " + base + "/train-images-idx3-ubyte.gz",
        "expected md5 " + expected, "got " + md5(tampered));
    assertTrue(e.getMessage().contains("discarded"), e.getMessage());
    assertFalse(Files.exists(file));
    assertEquals(List.of(), leftovers());
  }

  @Test
  void standardCatalogCanBePointedAtAMirror() throws Exception {
    // the real checksums cannot match fixture bytes, which shows the real ones are enforced
    served.put("t10k-labels-idx1-ubyte.gz", LABELS);
    served.put("train-images-idx3-ubyte.gz", IMAGES);
    DatasetDownloader mirror = new DatasetDownloader(URI.create(base + "/"));
    DataAssertions.assertInvalid(target.resolve("train-images-idx3-ubyte.gz"),
        () -> mirror.download("fashion-mnist", target, DownloadListener.NONE),
        "expected md5 8d4fb7e6c68d591d4c3dfef9ec88bf0d");
    assertEquals(List.of(), leftovers());
  }

  @Test
  void reportsHttpErrorsAsIoExceptions() throws Exception {
    served.put("train-images-idx3-ubyte.gz", IMAGES);
    IOException e = assertThrows(IOException.class,
        () -> downloader(md5(IMAGES), md5(LABELS)).download("tiny", target, DownloadListener.NONE));
    assertTrue(e.getMessage().contains("/files/train-labels-idx1-ubyte.gz failed: HTTP 404"), e.getMessage());
    assertTrue(Files.exists(target.resolve("train-images-idx3-ubyte.gz")), "completed files stay");
    assertEquals(List.of(), leftovers());
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DatasetDownloader().download("imagenet", target, DownloadListener.NONE));
    assertTrue(e.getMessage().contains("cifar10, cifar100, fashion-mnist, mnist"), e.getMessage());
  }

  @Test
  void standardCatalogUsesTheCanonicalAddresses() {
    Map<String, RemoteDataset> catalog = DatasetDownloader.standardCatalog();
    RemoteDataset mnist = catalog.get("mnist");
    assertEquals("https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz",
        mnist.uriOf(mnist.files().get(0)).toString());
    RemoteDataset fashion = catalog.get("fashion-mnist");
    assertEquals("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/t10k-labels-idx1-ubyte.gz",
        fashion.uriOf(fashion.files().get(3)).toString());
    RemoteDataset cifar10 = catalog.get("cifar10");
    assertEquals("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
        cifar10.uriOf(cifar10.files().get(0)).toString());
    assertEquals("03b5dce01913d631647c71ecec9e9cb8", catalog.get("cifar100").files().get(0).md5());
    assertEquals(CifarReader.Variant.CIFAR100.archiveName(), catalog.get("cifar100").files().get(0).name());
  }
}

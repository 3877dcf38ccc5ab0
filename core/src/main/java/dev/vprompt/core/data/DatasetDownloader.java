package dev.vprompt.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fetches the public datasets into a directory that the matching {@link DataSpec} kind then reads
 * ({@code mnist:DIR}, {@code fashion-mnist:DIR}, {@code cifar10:DIR}, {@code cifar100:DIR}).
 *
 * <p>Each file goes to a temporary file in the target directory, is checked against its MD5 and
 * only then renamed into place, so an interrupted or corrupted download never leaves a file that
 * looks complete. Files already present with the right checksum are not fetched again.
 */
public final class DatasetDownloader {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
  private static final long PROGRESS_STEP = 1 << 20;

  private final Map<String, RemoteDataset> catalog;
  private final HttpClient client;

  /** The canonical public addresses. */
  public DatasetDownloader() {
    this(standardCatalog(), defaultClient());
  }

  /** The standard files and checksums, all fetched from {@code mirror} instead (e.g. a local copy). */
  public DatasetDownloader(URI mirror) {
    this(rebased(standardCatalog(), mirror), defaultClient());
  }

  public DatasetDownloader(Map<String, RemoteDataset> catalog, HttpClient client) {
    this.catalog = Map.copyOf(catalog);
    this.client = client;
  }

  /**
   * MD5s: MNIST and Fashion-MNIST as torchvision lists them (Fashion-MNIST's also in its README);
   * CIFAR binary archives as the dataset page (cs.toronto.edu/~kriz/cifar.html) lists them.
   */
  public static Map<String, RemoteDataset> standardCatalog() {
    Map<String, RemoteDataset> catalog = new LinkedHashMap<>();
    catalog.put("mnist", new RemoteDataset("mnist",
        // torchvision's mirror; yann.lecun.com is unreliable
        URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"), List.of(
        new RemoteDataset.RemoteFile("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        new RemoteDataset.RemoteFile("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
        new RemoteDataset.RemoteFile("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
        new RemoteDataset.RemoteFile("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"))));
    catalog.put("fashion-mnist", new RemoteDataset("fashion-mnist",
        URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"), List.of(
        new RemoteDataset.RemoteFile("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        new RemoteDataset.RemoteFile("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
        new RemoteDataset.RemoteFile("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
        new RemoteDataset.RemoteFile("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"))));
    catalog.put("cifar10", new RemoteDataset("cifar10", URI.create("https://www.cs.toronto.edu/~kriz/"),
        List.of(new RemoteDataset.RemoteFile("cifar-10-binary.tar.gz", "c32a1d4ab5d03f1284b67883e8d87530"))));
    catalog.put("cifar100", new RemoteDataset("cifar100", URI.create("https://www.cs.toronto.edu/~kriz/"),
        List.of(new RemoteDataset.RemoteFile("cifar-100-binary.tar.gz", "03b5dce01913d631647c71ecec9e9cb8"))));
    return catalog;
  }

  /** Names {@link #download} accepts. */
  public List<String> names() {
    return catalog.keySet().stream().sorted().toList();
  }

  /**
   * Downloads every file of dataset {@code name} into {@code to} (created if needed).
   *
   * @return the files, in catalog order
   * @throws IllegalArgumentException for an unknown name
   * @throws InvalidDataException     when a download does not match its checksum (nothing is kept)
   * @throws IOException              when the network or the disk fails
   */
  public List<Path> download(String name, Path to, DownloadListener listener) throws IOException {
    RemoteDataset dataset = catalog.get(name);
    if (dataset == null) {
      throw new IllegalArgumentException("unknown dataset '" + name + "'; downloadable: "
          + String.join(", ", names()));
    }
    Files.createDirectories(to);
    List<Path> paths = new ArrayList<>();
    for (RemoteDataset.RemoteFile file : dataset.files()) {
      Path target = to.resolve(file.name());
      if (Files.isRegularFile(target) && md5(target).equals(file.md5())) {
        listener.skipped(file.name(), target);
      } else {
        fetch(dataset.uriOf(file), file, target, listener);
        listener.finished(file.name(), target);
      }
      paths.add(target);
    }
    return paths;
  }

  private void fetch(URI uri, RemoteDataset.RemoteFile file, Path target, DownloadListener listener)
      throws IOException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(RESPONSE_TIMEOUT).GET().build();
    HttpResponse<InputStream> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while requesting " + uri);
    }
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("GET " + uri + " failed: HTTP " + response.statusCode());
      }
      long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      Path temp = Files.createTempFile(target.toAbsolutePath().getParent(), "." + file.name() + ".", ".part");
      try {
        String actual = copyAndDigest(body, temp, file.name(), total, listener);
        if (!actual.equals(file.md5())) {
          throw new InvalidDataException(target, "checksum mismatch for " + uri + ": expected md5 "
              + file.md5() + ", got " + actual + "; the download was discarded");
        }
        moveIntoPlace(temp, target);
      } finally {
        Files.deleteIfExists(temp);
      }
    }
  }

  private static String copyAndDigest(InputStream in, Path temp, String name, long total, DownloadListener listener)
      throws IOException {
    MessageDigest md5 = newMd5();
    byte[] buffer = new byte[DataFiles.BUFFER];
    long done = 0;
    long nextReport = 0;
    try (OutputStream out = Files.newOutputStream(temp)) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        md5.update(buffer, 0, n);
        done += n;
        if (done >= nextReport) {
          listener.progress(name, done, total);
          nextReport = done + PROGRESS_STEP;
        }
      }
    }
    listener.progress(name, done, total);
    return HexFormat.of().formatHex(md5.digest());
  }

  private static void moveIntoPlace(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Lower-case hex MD5 of a file. */
  public static String md5(Path file) throws IOException {
    MessageDigest md5 = newMd5();
    byte[] buffer = new byte[DataFiles.BUFFER];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        md5.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(md5.digest());
  }

  private static MessageDigest newMd5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime must provide MD5", e);
    }
  }

  private static HttpClient defaultClient() {
    return HttpClient.newBuilder()
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  private static Map<String, RemoteDataset> rebased(Map<String, RemoteDataset> catalog, URI mirror) {
    Map<String, RemoteDataset> out = new LinkedHashMap<>();
    catalog.forEach((name, dataset) -> out.put(name, dataset.withBase(mirror)));
    return out;
  }
}

package dev.vprompt.core.data;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** A downloadable dataset: a base address and its files with their MD5 checksums. */
public record RemoteDataset(String name, URI base, List<RemoteFile> files) {

  /** One file under {@link #base()}, with its lower-case hex MD5. */
  public record RemoteFile(String name, String md5) {
    public RemoteFile {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
        throw new IllegalArgumentException("remote file name must be a plain file name: '" + name + "'");
      }
      if (md5 == null || !md5.matches("(?i)[0-9a-f]{32}")) {
        throw new IllegalArgumentException("md5 of " + name + " must be 32 hex digits: '" + md5 + "'");
      }
      md5 = md5.toLowerCase(Locale.ROOT);
    }
  }

  public RemoteDataset {
    Objects.requireNonNull(name, "name");
    base = withTrailingSlash(Objects.requireNonNull(base, "base"));
    files = List.copyOf(files);
  }

  /** The same files fetched from another place (a mirror, or a test server). */
  public RemoteDataset withBase(URI newBase) {
    return new RemoteDataset(name, newBase, files);
  }

  public URI uriOf(RemoteFile file) {
    return base.resolve(file.name());
  }

  private static URI withTrailingSlash(URI uri) {
    // without it, resolve() would replace the last path segment instead of appending
    String text = uri.toString();
    return text.endsWith("/") ? uri : URI.create(text + "/");
  }
}

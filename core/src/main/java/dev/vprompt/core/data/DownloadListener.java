package dev.vprompt.core.data;

import java.nio.file.Path;

/** Hears about a download's progress; the CLI bridges this to its progress bar. */
@FunctionalInterface
public interface DownloadListener {

  DownloadListener NONE = (file, done, total) -> {
  };

  /**
   * @param bytesTotal the announced size, or -1 when the server sent none
   */
  void progress(String file, long bytesDone, long bytesTotal);

  /** The file was already present with the right checksum and was not fetched. */
  default void skipped(String file, Path path) {
  }

  /** The file was fetched, verified and moved into place. */
  default void finished(String file, Path path) {
  }
}

package dev.vprompt.core.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one-writer rule for a run or model directory: an exclusive OS lock ({@link FileChannel#tryLock})
 * on {@code DIR/.vprompt.lock}, which holds the owner's PID. The operating system drops the lock when
 * its process dies, even by SIGKILL, so a crash never leaves a stale lock; the file itself stays.
 *
 * <p>Locks held by this JVM are also kept in a table and checked first: POSIX drops every lock a
 * process holds on a file as soon as any of its descriptors of that file is closed, so a second
 * channel on a file already locked here must never be opened.
 */
public final class DirectoryLock implements AutoCloseable {

  /** The lock file's name inside the directory it guards. */
  public static final String FILE_NAME = ".vprompt.lock";

  private static final Map<Path, DirectoryLock> HELD_HERE = new ConcurrentHashMap<>();

  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(Path key, FileChannel channel, FileLock lock) {
    this.key = key;
    this.channel = channel;
    this.lock = lock;
  }

  /** Thrown when another process (or another command in this one) writes the directory. */
  public static final class InUseException extends IllegalArgumentException {
    InUseException(String message) {
      super(message);
    }
  }

  /**
   * Locks {@code dir} (which must exist) for writing.
   *
   * @throws InUseException naming the holder's PID when another writer has it
   */
  public static DirectoryLock acquire(Path dir) {
    return acquire(dir, FILE_NAME, "");
  }

  /**
   * Locks {@code dir} for one part of its work, with its own lock file (a sweep shard's).
   *
   * @param what how the error names the part, e.g. " for shard 0/2"
   */
  public static DirectoryLock acquire(Path dir, String fileName, String what) {
    DirectoryLock lock = tryAcquire(dir, fileName);
    if (lock == null) {
      throw new InUseException(dir + ": in use by another vprompt process" + what + " (" + holder(dir, fileName)
          + "); wait for it to finish or stop it. Nothing was changed");
    }
    return lock;
  }

  /** Locks {@code dir} if no one else has it; null when someone does. */
  public static DirectoryLock tryAcquire(Path dir) {
    return tryAcquire(dir, FILE_NAME);
  }

  private static DirectoryLock tryAcquire(Path dir, String fileName) {
    Path file;
    try {
      file = dir.toRealPath().resolve(fileName);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + dir + ": " + e.getMessage(), e);
    }
    Path key = file;
    synchronized (HELD_HERE) {
      if (HELD_HERE.containsKey(key)) {
        return null;
      }
      FileChannel channel = null;
      try {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
          channel.close();
          return null;
        }
        byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(pid), 0);
        DirectoryLock held = new DirectoryLock(key, channel, lock);
        HELD_HERE.put(key, held);
        return held;
      } catch (IOException e) {
        closeQuietly(channel);
        throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
      }
    }
  }

  /** Whether {@code file} is one of vprompt's lock files. */
  public static boolean isLockFile(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    return name.equals(FILE_NAME) || name.startsWith(".vprompt-") && name.endsWith(".lock");
  }

  /** Who holds the lock, as far as its file says. */
  private static String holder(Path dir, String fileName) {
    try {
      Path key = dir.toRealPath().resolve(fileName);
      if (HELD_HERE.containsKey(key)) {
        return "this process, PID " + ProcessHandle.current().pid();
      }
      String pid = Files.readString(key, StandardCharsets.US_ASCII).strip();
      return pid.isEmpty() ? "PID unknown" : "PID " + pid;
    } catch (IOException | RuntimeException e) {
      return "PID unknown";
    }
  }

  @Override
  public void close() {
    synchronized (HELD_HERE) {
      if (HELD_HERE.remove(key, this)) {
        try {
          lock.release();
        } catch (IOException ignored) {
          // closing the channel below releases it anyway
        }
        closeQuietly(channel);
      }
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing more to release
      }
    }
  }
}

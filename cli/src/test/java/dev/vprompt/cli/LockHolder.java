package dev.vprompt.cli;

import dev.vprompt.core.run.DirectoryLock;
import java.nio.file.Path;

/** A second process for lock tests: takes the lock of the directory it is given, says so, and waits to be killed. */
public final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws InterruptedException {
    DirectoryLock lock = DirectoryLock.acquire(Path.of(args[0]));
    System.out.println("locked");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
    lock.close();
  }
}

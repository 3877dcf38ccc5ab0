package dev.vprompt.train.trainer;

import java.time.Duration;

/**
 * Stops training cleanly when the JVM is asked to exit (Ctrl-C, SIGTERM): a shutdown hook asks every
 * running training to stop after its current step, and waits, at most {@link #GRACE}, until each has
 * closed its session. Without it the JVM exits while TensorFlow's threads are still inside
 * {@code Session.run}, and the process dies of a SIGSEGV in a native thread. The last checkpoint stays
 * as it was (a stop never writes one half-way); {@code --resume} trains the interrupted epoch again,
 * as it would after a kill.
 */
public final class TrainingStop {

  /** How long the hook waits for a training to close its session (a step, or a checkpoint being written). */
  public static final Duration GRACE = Duration.ofSeconds(30);

  private static final Object LOCK = new Object();
  private static int running;
  private static boolean hooked;
  private static volatile boolean requested;

  private TrainingStop() {}

  /** One training between its session's creation and its close. */
  public static final class Running implements AutoCloseable {
    private boolean closed;

    private Running() {}

    @Override
    public void close() {
      synchronized (LOCK) {
        if (!closed) {
          closed = true;
          running--;
          LOCK.notifyAll();
        }
      }
    }
  }

  /**
   * Registers a training about to open its session; close the handle after the session is closed.
   *
   * @throws TrainingStoppedException when the JVM is already shutting down: no new session is opened then
   */
  public static Running enter() {
    synchronized (LOCK) {
      if (requested) {
        throw new TrainingStoppedException("stopped before training began: the process is shutting down");
      }
      if (!hooked) {
        try {
          Runtime.getRuntime().addShutdownHook(new Thread(TrainingStop::stopAndWait, "vprompt-training-stop"));
        } catch (IllegalStateException shuttingDown) {
          throw new TrainingStoppedException("stopped before training began: the process is shutting down");
        }
        hooked = true;
      }
      running++;
      return new Running();
    }
  }

  /** Whether a stop was asked for: the trainer checks after every step. */
  public static boolean requested() {
    return requested;
  }

  private static void stopAndWait() {
    long deadline = System.nanoTime() + GRACE.toNanos();
    synchronized (LOCK) {
      requested = true;
      while (running > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          System.err.println("vprompt: training did not stop within " + GRACE.toSeconds() + " s; exiting anyway");
          return;
        }
        try {
          LOCK.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}

package dev.vprompt.ops.placement;

import dev.vprompt.ops.TowerSum;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Builds the towers of a data-parallel step in lockstep, so that a layer of one tower can read the same
 * layer of every tower (synchronised batch-norm reads every tower's batch moments). The backbones are
 * straight-line code that builds one tower at a time; here each tower's build runs on a thread of its
 * own, but only one runs at any moment: tower 0 builds until its first {@link #exchange}, then tower 1
 * until the same point, and so on; the last tower to arrive combines the parts, and tower 0 resumes. The
 * graph is therefore built in a fixed order, by one thread at a time.
 */
public final class TowerLockstep {

  private final int towers;
  private final boolean[] done;
  private final int[] nextRound;
  private final List<Round> rounds = new ArrayList<>();
  private int turn;
  private Throwable failure;

  private static final class Round {
    final Object[] parts;
    int count;
    Object combined;

    Round(int towers) {
      parts = new Object[towers];
    }
  }

  /** Unwinds a waiting tower after another one failed. */
  private static final class Aborted extends RuntimeException {
    Aborted() {
      super(null, null, false, false);
    }
  }

  public TowerLockstep(int towers) {
    if (towers < 1) {
      throw new IllegalArgumentException("no tower to build");
    }
    this.towers = towers;
    this.done = new boolean[towers];
    this.nextRound = new int[towers];
  }

  /** Runs one build per tower to the end, in lockstep; rethrows the first failure. */
  public void run(List<Runnable> builds) {
    if (builds.size() != towers) {
      throw new IllegalArgumentException(builds.size() + " builds for " + towers + " towers");
    }
    List<Thread> threads = new ArrayList<>();
    for (int k = 0; k < towers; k++) {
      int tower = k;
      Thread thread = new Thread(() -> {
        try {
          awaitTurn(tower);
          builds.get(tower).run();
        } catch (Aborted e) {
          // another tower failed first
        } catch (Throwable e) {
          fail(e);
        } finally {
          finish(tower);
        }
      }, "tower-build-" + k);
      thread.setDaemon(true);
      threads.add(thread);
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while building the towers", e);
      }
    }
    if (failure instanceof RuntimeException e) {
      throw e;
    }
    if (failure instanceof Error e) {
      throw e;
    }
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
  }

  /**
   * Called by tower {@code tower}'s build: hands over its part of the next synchronisation point, waits
   * until every tower has reached it, and returns what {@code combine} made of all parts (in tower order;
   * run once, by the last tower to arrive).
   */
  @SuppressWarnings("unchecked")
  public synchronized <T, R> R exchange(int tower, T part, Function<List<T>, R> combine) {
    int r = nextRound[tower]++;
    while (rounds.size() <= r) {
      rounds.add(new Round(towers));
    }
    Round round = rounds.get(r);
    round.parts[tower] = part;
    if (++round.count == towers) {
      round.combined = combine.apply((List<T>) Arrays.asList(round.parts));
    }
    passTurn(tower);
    awaitTurn(tower);
    if (round.count != towers) {
      throw new IllegalStateException("tower " + tower + " reached synchronisation point " + (r + 1)
          + " but " + (towers - round.count) + " other tower(s) ended before it: the towers' graphs differ");
    }
    return (R) round.combined;
  }

  /**
   * The {@link TowerSum} of one tower: the sums are {@code AddN}s built with {@code reduce} (on the
   * variables' device).
   */
  public TowerSum sum(int tower, Ops reduce) {
    return parts -> exchange(tower, parts, (List<List<Operand<TFloat32>>> all) -> {
      List<Operand<TFloat32>> sums = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        List<Operand<TFloat32>> terms = new ArrayList<>();
        for (List<Operand<TFloat32>> towerParts : all) {
          terms.add(towerParts.get(i));
        }
        sums.add(reduce.math.addN(terms));
      }
      return sums;
    });
  }

  private synchronized void awaitTurn(int tower) {
    while (turn != tower && failure == null) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Aborted();
      }
    }
    if (failure != null) {
      throw new Aborted();
    }
  }

  private synchronized void passTurn(int tower) {
    for (int i = 1; i <= towers; i++) {
      int next = (tower + i) % towers;
      if (!done[next]) {
        turn = next;
        break;
      }
    }
    notifyAll();
  }

  private synchronized void fail(Throwable e) {
    if (failure == null) {
      failure = e;
    }
    notifyAll();
  }

  private synchronized void finish(int tower) {
    done[tower] = true;
    passTurn(tower);
  }
}

package dev.vprompt.cli;

import dev.vprompt.core.run.EpochMetrics;
import dev.vprompt.train.trainer.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Training progress for a person: a progress bar per epoch (images/s, loss, accuracy) on a terminal,
 * one plain line per epoch otherwise (logs, CI, pipes).
 */
class ConsoleProgress implements ProgressListener {

  private final PrintWriter out;
  private final boolean terminal;
  private ProgressBar bar;

  ConsoleProgress(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  static ConsoleProgress forThisProcess(PrintWriter out) {
    return new ConsoleProgress(out, interactive());
  }

  /** Whether this process writes to a terminal (a progress bar) rather than a log (plain lines). */
  static boolean interactive() {
    return System.console() != null;
  }

  @Override
  public void epochStarted(int epoch, int epochs, int steps) {
    if (terminal) {
      bar = new ProgressBarBuilder()
          .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
          .setInitialMax(steps)
          .setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(250)
          .setConsumer(new ConsoleProgressBarConsumer(System.err))
          .build();
    }
  }

  @Override
  public void stepDone(int step, double meanLoss, double accuracy, double imagesPerSecond) {
    if (bar != null) {
      bar.stepTo(step);
      bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f  acc %.4f  %.0f img/s", meanLoss, accuracy, imagesPerSecond));
    }
  }

  @Override
  public void epochDone(EpochMetrics m, boolean best) {
    if (bar != null) {
      bar.close();
      bar = null;
    }
    out.printf(Locale.ROOT,
        "epoch %3d  lr %.2e  train loss %.4f acc %.4f  val loss %.4f acc %.4f%s  %.1fs  %.0f img/s%n",
        m.epoch(), m.lr(), m.trainLoss(), m.trainAcc(), m.valLoss(), m.valAcc(), best ? " *" : "  ",
        m.seconds(), m.imagesPerSec());
    out.flush();
  }

  @Override
  public void message(String text) {
    out.println(text);
    out.flush();
  }
}

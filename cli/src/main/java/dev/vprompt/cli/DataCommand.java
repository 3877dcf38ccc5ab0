package dev.vprompt.cli;

import dev.vprompt.core.data.DatasetDownloader;
import dev.vprompt.core.data.DatasetStats;
import dev.vprompt.core.data.LoadedData;
import dev.vprompt.core.data.DownloadListener;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vprompt data}: look at a dataset, or fetch a public one. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = "Inspects datasets and downloads the public ones.",
    subcommands = {DataCommand.Info.class, DataCommand.Download.class})
final class DataCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "info", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
      description = "Prints counts, image shape, the class histogram and pixel statistics of both splits.")
  static final class Info implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin DataLimitOptions limits;

    @Parameters(paramLabel = "SPEC", arity = "0..1",
        description = "fashion-mnist:DIR, mnist:DIR, cifar10:DIR, cifar100:DIR, idx:DIR, folder:DIR, or 'embedded' (default).")
    String data;

    @Override
    public Integer call() {
      limits.apply();
      LoadedData loaded = LoadedData.load(data);
      PrintWriter out = spec.commandLine().getOut();
      out.println("data: " + loaded.spec() + " (" + loaded.kind() + ")");
      out.print(DatasetStats.of(loaded.splits()).format());
      out.flush();
      return 0;
    }
  }

  @Command(name = "download", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
      description = "Downloads MNIST, Fashion-MNIST, CIFAR-10 or CIFAR-100 from its canonical address into DIR, "
          + "checks every file's MD5, and skips files already present and correct. Then train with --data NAME:DIR.")
  static final class Download implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "mnist, fashion-mnist, cifar10 or cifar100.")
    String name;

    @Option(names = "--to", paramLabel = "DIR", required = true, description = "Target directory.")
    Path to;

    @Option(names = "--mirror", paramLabel = "URL", description = "Fetch the same files from this base URL instead.")
    URI mirror;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      DatasetDownloader downloader = mirror == null ? new DatasetDownloader() : new DatasetDownloader(mirror);
      try {
        downloader.download(name, to, new DownloadListener() {
          private long lastReport;

          @Override
          public void progress(String file, long done, long total) {
            long now = System.nanoTime();
            if (now - lastReport > 1_000_000_000L || done == total) {
              lastReport = now;
              out.printf(Locale.ROOT, "  %s: %.1f of %s MB%n", file, done / 1e6, total < 0 ? "?" : String.format(Locale.ROOT, "%.1f", total / 1e6));
              out.flush();
            }
          }

          @Override
          public void skipped(String file, Path path) {
            out.println("  " + file + ": already there, checksum correct");
          }

          @Override
          public void finished(String file, Path path) {
            out.println("  " + file + ": checksum correct -> " + path);
          }
        });
      } catch (java.io.IOException e) {
        throw new java.io.IOException("download of " + name + " failed: " + e.getMessage()
            + " (no network? copy the files into " + to + " by hand; 'vprompt data download --help')", e);
      }
      out.println("done: train with --data " + name + ":" + to);
      out.flush();
      return 0;
    }
  }
}

package dev.vprompt.cli;

import dev.vprompt.core.data.DataLimits;
import picocli.CommandLine.Option;

/** The limits on what a dataset file or an image may claim, for the commands that read them. */
final class DataLimitOptions {

  @Option(names = "--max-bytes", paramLabel = "N", defaultValue = "0",
      description = "Refuse a dataset file that claims more than N bytes once inflated, before reading it "
          + "(default: a quarter of the Java heap).")
  long maxBytes;

  @Option(names = "--max-pixels", paramLabel = "N", defaultValue = "0",
      description = "Refuse an image that declares more than N pixels, before decoding it (default: 8192 x 8192).")
  long maxPixels;

  @Option(names = "--strict-images",
      description = "Refuse damaged images (a truncated JPEG) instead of decoding them with a warning.")
  boolean strictImages;

  /** Puts the limits in force for this command; call first. */
  void apply() {
    DataLimits.set(maxBytes, maxPixels, strictImages);
  }
}

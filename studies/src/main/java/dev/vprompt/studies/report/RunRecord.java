package dev.vprompt.studies.report;

import dev.vprompt.core.run.EpochMetrics;
import dev.vprompt.core.run.RunConfig;
import dev.vprompt.core.run.RunDirectory;
import dev.vprompt.core.run.Summary;
import java.nio.file.Path;
import java.util.List;

/** A finished run as the report reads it: its directory, config.json, summary.json and metrics.jsonl. */
public record RunRecord(Path dir, RunConfig config, Summary summary, List<EpochMetrics> metrics) {

  public RunRecord {
    metrics = List.copyOf(metrics);
  }

  public static RunRecord read(Path dir) {
    RunDirectory run = RunDirectory.existing(dir);
    return new RunRecord(dir, run.readConfig(), run.readSummary(), run.readMetrics());
  }

  public long seed() {
    return config.training().seed();
  }

  public Path checkpoint(String which) {
    return RunDirectory.existing(dir).checkpoint(which);
  }
}

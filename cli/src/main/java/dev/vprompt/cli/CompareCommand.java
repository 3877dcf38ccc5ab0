package dev.vprompt.cli;

import dev.vprompt.studies.report.PaperResults;
import dev.vprompt.core.run.RunConfig;
import dev.vprompt.core.run.RunDirectory;
import dev.vprompt.core.run.Summary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vprompt compare}: finished runs side by side, with the paper's Table I figure where one exists. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = "Prints a Markdown table of finished runs (their summary.json): test accuracy of the best-"
        + "validation and the last checkpoint, the MSVP paper's Table I figure for the same dataset, backbone "
        + "and prompt where there is one, parameters and time.")
final class CompareCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "RUN", arity = "1..*", description = "Run directories.")
  List<Path> runs;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.println("| run | dataset | backbone | prompt | frozen | epochs | seed | test % (best val) | test % (last) | "
        + "paper % | trainable params | total params | s/epoch |");
    out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (Path dir : runs) {
      RunDirectory run = RunDirectory.existing(dir);
      RunConfig config = run.readConfig();
      Summary s = run.readSummary();
      OptionalDouble paper = config.data().equals("embedded") ? OptionalDouble.empty()
          : config.dataClasses() != null || config.transfer() != null ? OptionalDouble.empty()
          : s.prompt().equals("msvp") && !s.promptLabel().equals("msvp[full,add]") ? OptionalDouble.empty()
          : PaperResults.tableOne(config.datasetKind(), s.backbone(), s.prompt());
      out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %d | %d | %.2f | %.2f | %s | %,d | %,d | %.1f |%n",
          dir.getFileName(), s.dataset(), s.backbone(), s.promptLabel(), config.transferOrScratch().freeze(),
          s.epochs(), s.seed(), 100 * s.testAccBest(), 100 * s.testAccLast(),
          paper.isPresent() ? String.format(Locale.ROOT, "%.2f", paper.getAsDouble()) : "-",
          s.paramsTrainable(), s.paramsTotal(), s.meanEpochSeconds());
    }
    out.flush();
    return 0;
  }
}

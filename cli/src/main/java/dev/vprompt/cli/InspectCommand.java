package dev.vprompt.cli;

import dev.vprompt.export.inspect.Finding;
import dev.vprompt.export.inspect.Inspection;
import dev.vprompt.export.inspect.InspectionText;
import dev.vprompt.export.inspect.SavedModelInspector;
import dev.vprompt.core.run.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vprompt inspect}: what a SavedModel holds and what TF Serving would object to. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Reads DIR/saved_model.pb (without loading it into TensorFlow) and prints its tags, signatures (inputs and "
          + "outputs with dtypes and shapes, method names), op histogram, variables and assets.",
      "",
      "It flags what TF Serving would reject or an inference-only model should not hold: no 'serve' tag, no "
          + "serving_default, empty method names, optimizer updates, gradients, variable writes outside the "
          + "restore op, random ops, batch-norm in training mode, unsaved variables, missing assets."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:inspected (and, with --strict, nothing flagged)", "1:--strict and something was flagged",
        "2:DIR is missing or not a SavedModel"})
final class InspectCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "A SavedModel directory, e.g. models/NAME/1.")
  Path dir;

  @Option(names = "--json", description = "Print the inspection as JSON.")
  boolean json;

  @Option(names = "--strict", description = "Exit with 1 when anything is flagged.")
  boolean strict;

  @Option(names = "--verbose", description = "Stack traces on errors.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    Inspection inspection = SavedModelInspector.inspect(dir);
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? Json.PRETTY.writeValueAsString(inspection) + "\n" : InspectionText.format(inspection));
    out.flush();
    if (strict && !inspection.clean()) {
      // The first finding on standard error too: a script that keeps only that stream still learns what is wrong.
      List<Finding> findings = inspection.findings();
      spec.commandLine().getErr().println("vprompt inspect: error: " + findings.size() + " finding(s) in " + dir
          + " (--strict), the first: " + findings.get(0));
      return Main.EXIT_FAILURE;
    }
    return 0;
  }
}

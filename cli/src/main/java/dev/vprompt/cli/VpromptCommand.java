package dev.vprompt.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The root command: only dispatches to subcommands. */
@Command(
    name = "vprompt",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    description =
        "Visual prompting (MSVP, InsVP, LoTeP) on TensorFlow Java: train prompted image classifiers, "
            + "compare them with their baselines, and export them as SavedModels for TF Serving.",
    subcommands = {
      TrainCommand.class, EvalCommand.class, ExportCommand.class, InspectCommand.class, PredictCommand.class,
      SweepCommand.class, ReportCommand.class, CompareCommand.class, BenchCommand.class, ParamsCommand.class,
      DataCommand.class, ImportCommand.class, AutoComplete.GenerateCompletion.class
    },
    footer = {"", "Run 'vprompt COMMAND --help' for a command's options."})
public final class VpromptCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}

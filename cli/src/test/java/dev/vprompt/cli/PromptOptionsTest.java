package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.prompts.PromptFamily;
import dev.vprompt.graph.prompts.PromptOption;
import dev.vprompt.graph.prompts.PromptSettings;
import dev.vprompt.graph.prompts.Prompts;
import dev.vprompt.graph.prompts.msvp.MsvpSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The prompt options come from the registry: every family's option is offered, and their defaults are the family's. */
class PromptOptionsTest {

  @ParameterizedTest
  @ValueSource(strings = {"train", "params", "bench"})
  void everyCommandThatBuildsAModelTakesEveryFamilysOptionsWithItsDefaults(String name) {
    for (String prompt : Prompts.NAMES) {
      Callable<Integer> command = command(name);
      new CommandLine(command).parseArgs("--prompt", prompt);
      assertEquals(PromptSettings.of(prompt), model(command).promptSettings(), name + " --prompt " + prompt);
    }
    StringWriter help = new StringWriter();
    new CommandLine(command(name)).usage(new PrintWriter(help));
    for (PromptFamily<?> family : Prompts.FAMILIES) {
      for (PromptOption option : family.options()) {
        assertTrue(help.toString().contains("--" + option.name() + "=" + option.paramLabel()), name + ": --" + option.name());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"train", "params"})
  void givenValuesReachTheSettings(String name) {
    Callable<Integer> command = command(name);
    new CommandLine(command).parseArgs("--prompt", "msvp", "--msvp-fusion", "gated", "--msvp-local", "7");
    assertEquals(new MsvpSettings("full", "gated", 4, 7, 0.01f),
        model(command).promptSettings().settings(MsvpSettings.class));
  }

  private static Callable<Integer> command(String name) {
    return switch (name) {
      case "train" -> new TrainCommand();
      case "params" -> new ParamsCommand();
      default -> new BenchCommand();
    };
  }

  private static ModelOptions model(Callable<Integer> command) {
    if (command instanceof TrainCommand t) {
      return t.model;
    }
    return command instanceof ParamsCommand p ? p.model : ((BenchCommand) command).model;
  }
}

package dev.vprompt.cli;

import dev.vprompt.graph.InvalidOptionException;
import dev.vprompt.graph.backbones.Backbones;
import dev.vprompt.graph.prompts.Prompt;
import dev.vprompt.graph.prompts.PromptSettings;
import dev.vprompt.graph.prompts.Prompts;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options that choose a backbone and a prompt, shared by every command that builds a model; the
 * prompts' own options come from the prompt registry (see {@link PromptOptions}).
 */
public final class ModelOptions {

  @Option(names = "--backbone", paramLabel = "NAME", defaultValue = "cnn",
      description = "Backbone: ${COMPLETION-CANDIDATES}; or a configured family (for `vprompt import`ed weights): "
          + "vit(patch=P,dim=D,depth=L,heads=H[,mlp=M]), resnet(block=basic|bottleneck,layers=a-b-c-d[,channels=w-x-y-z]), "
          + "swin(patch=P,window=W,dim=D,depths=a-b-..,heads=a-b-..), convnext(depths=a-b-c-d,dims=a-b-c-d) "
          + "(default: ${DEFAULT-VALUE}).",
      completionCandidates = BackboneNames.class)
  String backbone;

  @Option(names = "--patch-size", paramLabel = "P",
      description = "ViT patch size (default: 7 for 28x28, 4 for 32x32, else the smallest divisor giving <= 64 patches).")
  Integer patchSize;

  @Option(names = "--prompt", paramLabel = "NAME", defaultValue = "msvp",
      description = "Prompt: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).", completionCandidates = PromptNames.class)
  String prompt;

  private PromptOptions promptOptions;

  /** Adds the registry's prompt options to the command this mixin is part of. */
  @Spec(Spec.Target.MIXEE)
  void addPromptOptions(CommandSpec command) {
    promptOptions = PromptOptions.addTo(command, headingOf(command));
  }

  /** train lists its options under headings; the other commands in one list. */
  private static String headingOf(CommandSpec command) {
    return command.userObject() instanceof TrainCommand ? "%nPrompt options (each applies to the prompts it names):%n"
        : null;
  }

  /** The prompt's settings as config.json stores them; fails on an unknown name or bad options. */
  public PromptSettings promptSettings() {
    return PromptSettings.fromOptions(prompt, promptOptions);
  }

  public Prompt createPrompt() {
    return promptSettings().create();
  }

  public String backbone() {
    return Backbones.requireKnown(backbone);
  }

  /** Lists the registered prompts in --help. */
  static final class PromptNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Prompts.NAMES.iterator();
    }
  }

  /** Lists the registered backbones in --help. */
  static final class BackboneNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Backbones.NAMES.iterator();
    }
  }
}

package dev.vprompt.cli;

import dev.vprompt.graph.backbones.Backbones;
import dev.vprompt.graph.prompts.Msvp;
import dev.vprompt.graph.prompts.Prompt;
import dev.vprompt.graph.prompts.Prompts;
import dev.vprompt.graph.prompts.insvp.InsVp;
import dev.vprompt.train.run.PromptSettings;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that choose a backbone and a prompt, shared by every command that builds a model. */
public final class ModelOptions {

  @Option(names = "--backbone", paramLabel = "NAME", defaultValue = "cnn",
      description = "Backbone: cnn, resnet18, resnet34, vit-tiny (CIFAR-sized, trained here); vit-b16, vit-b32, vit-s16, "
          + "vit-ti16, resnet18-in, resnet34-in, resnet50-in (timm's ImageNet architectures, for `vprompt import`ed "
          + "weights); or a configured family: vit(patch=P,dim=D,depth=L,heads=H[,mlp=M]), "
          + "resnet(block=basic|bottleneck,layers=a-b-c-d[,channels=w-x-y-z]) (default: ${DEFAULT-VALUE}).")
  String backbone;

  @Option(names = "--patch-size", paramLabel = "P",
      description = "ViT patch size (default: 7 for 28x28, 4 for 32x32, else the smallest divisor giving <= 64 patches).")
  Integer patchSize;

  @Option(names = "--prompt", paramLabel = "NAME", defaultValue = "msvp",
      description = "Prompt: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).", completionCandidates = PromptNames.class)
  String prompt;

  @Mixin MsvpOptions msvp;

  @Mixin InsvpOptions insvp;

  @Mixin LotepOptions lotep;

  /** The prompt's settings as config.json stores them; fails on an unknown name or bad options. */
  public PromptSettings promptSettings() {
    if (!Prompts.NAMES.contains(prompt)) {
      throw new IllegalArgumentException("unknown prompt '" + prompt + "'; known: " + String.join(", ", Prompts.NAMES));
    }
    PromptSettings settings = new PromptSettings(prompt, Msvp.NAME.equals(prompt) ? msvp.settings() : null,
        InsVp.NAME.equals(prompt) ? insvp.settings() : null, lotep.settingsFor(prompt));
    settings.create();
    return settings;
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
}

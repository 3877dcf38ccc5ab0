package dev.vprompt.cli;

import dev.vprompt.ops.weights.SafetensorsException;
import dev.vprompt.train.imports.ImportProblemsException;
import dev.vprompt.train.imports.ImportRequest;
import dev.vprompt.train.imports.TimmImport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vprompt import}: pretrained timm / torchvision weights (safetensors) as a run directory. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Imports pretrained weights from a safetensors file (timm's or torchvision's state_dict, F32/F16/BF16) into a "
          + "run directory that train --init-from, eval, export and predict accept: config.json (architecture, "
          + "classes from the file's head, input size, the source's normalisation), checkpoints/best and import.json "
          + "(where the weights came from).",
      "",
      "Every tensor of the file must be used and every variable of the model filled with the right shape; otherwise "
          + "nothing is written and each problem is listed by name (exit code 2). A 'module.' or 'model.' prefix on "
          + "every name is removed. Nothing is downloaded: fetch the weights first, e.g.",
      "  huggingface-cli download timm/vit_base_patch16_224.augreg2_in21k_ft_in1k model.safetensors",
      "(docs/pretrained.md lists the checkpoints each architecture is for)."
    })
final class ImportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--arch", paramLabel = "NAME", required = true,
      description = "A variant: vit-b16, vit-b32, vit-s16, vit-ti16 (timm vit_*_patch*_224), resnet18-in, resnet34-in, "
          + "resnet50-in (torchvision / timm resnet*), swin-t, swin-s, swin-b (timm swin_*_patch4_window7_224), "
          + "convnext-t, convnext-s, convnext-b (timm convnext_*); or a family: vit, resnet, swin, convnext, whose "
          + "configuration comes from the "
          + "file's __metadata__ (timm_class, timm_kwargs) or from --arch-config.")
  String arch;

  @Option(names = "--weights", paramLabel = "FILE", required = true, description = "The .safetensors file.")
  Path weights;

  @Option(names = "--out", paramLabel = "DIR", required = true,
      description = "The run directory to write (must not exist, or be empty).")
  Path out;

  @Option(names = "--arch-config", paramLabel = "FILE.json",
      description = "For a family: {\"timm_class\": \"VisionTransformer\", \"timm_kwargs\": {...}}, timm's constructor "
          + "arguments (instead of the file's metadata).")
  Path archConfig;

  @Option(names = "--input", paramLabel = "HxWxC",
      description = "Build the model for this input instead of the checkpoint's own (224x224x3 for the named variants): "
          + "a ViT's position embedding is resampled bicubically to the new patch grid; one channel sums the first "
          + "kernel over RGB (timm's adapt_input_conv) and averages the normalisation.")
  String input;

  @Option(names = "--class-names", paramLabel = "FILE",
      description = "The head's class names, one per line (default: 0, 1, ..., K-1).")
  Path classNames;

  @Option(names = "--mean", paramLabel = "R,G,B", split = ",",
      description = "The source's per-channel mean of pixels in [0, 1] (default: timm's for the family: 0.5,0.5,0.5 for "
          + "ViT, ImageNet's 0.485,0.456,0.406 for the others).")
  float[] mean;

  @Option(names = "--std", paramLabel = "R,G,B", split = ",",
      description = "The source's per-channel standard deviation (default: 0.5,0.5,0.5 for ViT, ImageNet's "
          + "0.229,0.224,0.225 for the others).")
  float[] std;

  @Option(names = "--verbose", description = "Stack traces on errors.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ImportRequest request = new ImportRequest(arch, weights, archConfig, out, input, classNames, mean, std,
        dev.vprompt.train.Training.versions());
    try {
      TimmImport.Result result = TimmImport.run(request, line -> {
        stdout.println(line);
        stdout.flush();
      });
      stdout.printf(Locale.ROOT, "imported: %s (%s, %d variables, %d values%s)%n", result.run(), result.config().backbone(),
          result.variables(), result.values(), result.strippedPrefix().isEmpty() ? ""
              : ", prefix '" + result.strippedPrefix() + "' removed");
      stdout.flush();
      return 0;
    } catch (SafetensorsException e) {
      err.println("vprompt import: error: " + e.getMessage());
      return Main.EXIT_BAD_INPUT;
    } catch (ImportProblemsException e) {
      err.println("vprompt import: error: " + e.getMessage() + "; nothing written");
      e.problems().forEach(p -> err.println("  " + p));
      return Main.EXIT_BAD_INPUT;
    } finally {
      err.flush();
    }
  }
}

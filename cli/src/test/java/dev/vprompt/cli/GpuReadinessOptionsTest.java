package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vprompt.graph.backbones.Backbones;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code vprompt gpu-readiness}'s backbone list, on the CPU build (no graph is built): the default list
 * covers every registered family, so a new family fails here until it gets a tiny configuration.
 */
class GpuReadinessOptionsTest {

  @Test
  void theDefaultListCoversEveryFamilyAndAllNamesEveryVariant() {
    assertEquals(List.of(), GpuReadiness.uncoveredFamilies(GpuReadiness.DEFAULT_BACKBONES, GpuReadiness.DEFAULT_INPUT));
    assertEquals(GpuReadiness.DEFAULT_BACKBONES, GpuReadiness.backbones(null));
    assertEquals(Backbones.NAMES, GpuReadiness.backbones(List.of("all")));
    assertEquals(List.of(List.of("swin-t", "swin-s", "swin-b")),
        GpuReadiness.uncoveredFamilies(GpuReadiness.DEFAULT_BACKBONES.stream().filter(b -> !b.startsWith("swin("))
            .toList(), GpuReadiness.DEFAULT_INPUT), "a family left out is named");
  }

  @Test
  void backbonesSplitAtCommasOutsideAConfigurationsParentheses() {
    GpuReadinessCommand command = new GpuReadinessCommand();
    new CommandLine(command).parseArgs("--backbones", "cnn,vit(patch=4,dim=16,depth=2,heads=2),swin-b");
    assertEquals(List.of("cnn", "vit(patch=4,dim=16,depth=2,heads=2)", "swin-b"), command.backbones);
  }
}

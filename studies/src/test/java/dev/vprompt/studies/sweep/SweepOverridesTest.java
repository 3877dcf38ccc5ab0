package dev.vprompt.studies.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SweepOverridesTest {

  @Test
  void aConfiguredBackboneKeepsItsCommas() {
    assertEquals(List.of("vit(patch=8,dim=48,depth=2,heads=3)", "resnet18"),
        SweepOverrides.splitOutsideParentheses("vit(patch=8,dim=48,depth=2,heads=3),resnet18"));
    assertEquals(List.of("42", "43", ""), SweepOverrides.splitOutsideParentheses("42,43,"));
  }
}

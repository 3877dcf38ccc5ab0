package dev.vprompt.train.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchmarkSelectionTest {

  @Test
  void onlySelectsGroupsAndNamedConfigurationsInTimingOrder() {
    assertEquals(Benchmark.CONFIGURATIONS, Benchmark.selected("all"));
    assertEquals(List.of("train_pipeline_prompted", "train_pipeline_baseline", "train_fixed_batch_prompted"),
        Benchmark.selected("train"));
    assertEquals(List.of("infer_prompted", "infer_baseline"), Benchmark.selected("infer"));
    assertEquals(List.of("train_pipeline_prompted", "infer_prompted"),
        Benchmark.selected("infer_prompted, train_pipeline_prompted"));
  }

  @Test
  void unknownNamesAreRefusedWithTheList() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Benchmark.selected("train_pipeline_prompted,trian"));
    assertTrue(e.getMessage().contains("got 'trian'") && e.getMessage().contains("infer_baseline"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Benchmark.selected(""));
  }
}

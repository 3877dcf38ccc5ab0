package dev.vprompt.studies.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.core.run.EpochMetrics;
import dev.vprompt.graph.prompts.msvp.MsvpSettings;
import dev.vprompt.graph.prompts.PromptSettings;
import dev.vprompt.core.run.RunConfig;
import dev.vprompt.core.run.Summary;
import dev.vprompt.core.run.TrainingSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cells, paired comparisons and tables from made-up runs (no training). */
class ReportTablesTest {

  private static RunRecord run(String data, String prompt, MsvpSettings msvp, long seed, double lr, double testBest,
      double testLast) {
    TrainingSettings t = new TrainingSettings(10, 128, lr, 1e-4, "adam", "all", "cosine", 0, seed, 0.1, "auto", 2, 1000);
    RunConfig config = new RunConfig(data, "fashion-mnist", "fashion-mnist", "28x28x1", List.of("a", "b"), "resnet18",
        null, new PromptSettings(prompt, msvp), new float[] {0.3f}, new float[] {0.35f}, t, Map.of("java", "17"));
    Summary summary = new Summary("fashion-mnist", "resnet18", prompt, config.prompt().label(), 10, seed, 9, 0.93,
        testBest, testLast, 11_000_000, msvp == null ? 0 : 81, 5130, 11_005_211, 11_005_211, 0, 0.001, 100, 10, 5000);
    List<EpochMetrics> metrics = List.of(new EpochMetrics(1, 1e-3, 0.5, 0.8, 0.4, 0.85, 10, 5000));
    return new RunRecord(Path.of("runs", prompt + "-" + seed + "-" + lr), config, summary, metrics);
  }

  private static final String FMNIST = "fashion-mnist:/usr/share/datasets/fashion-mnist";

  private static List<RunRecord> runs() {
    List<RunRecord> runs = new ArrayList<>();
    double[] none = {0.9300, 0.9320, 0.9310};
    double[] msvp = {0.9330, 0.9340, 0.9350};
    for (int i = 0; i < 3; i++) {
      runs.add(run(FMNIST, "none", null, 42 + i, 1e-3, none[i], none[i] - 0.001));
      runs.add(run(FMNIST, "msvp", MsvpSettings.defaults(), 42 + i, 1e-3, msvp[i], msvp[i]));
    }
    // another learning rate: its own cells, and only one seed of the prompted run
    runs.add(run(FMNIST, "none", null, 42, 1e-2, 0.90, 0.90));
    runs.add(run(FMNIST, "msvp", new MsvpSettings("global", "add", 4, 8, 0.01f), 42, 1e-2, 0.905, 0.905));
    return runs;
  }

  @Test
  void cellsPairSeedsWithTheirBaseline() {
    CellGrouping grouping = CellGrouping.of(runs());
    assertEquals(4, grouping.cells().size());
    assertTrue(grouping.hasSettings());
    assertEquals("learning-rate=0.001", grouping.settings().get(grouping.cells().get(0).key()));
    // baseline before prompts, within each learning rate
    assertEquals(List.of("none", "msvp[full,add]", "none", "msvp[global,add]"),
        grouping.cells().stream().map(Cell::promptLabel).toList());

    Cell msvp = grouping.cells().get(1);
    CellResult r = CellResult.of(msvp, grouping.find(msvp.key().baseline()));
    assertEquals(List.of(42L, 43L, 44L), r.pairedSeeds());
    assertEquals(93.40, r.best().mean(), 1e-9);
    assertEquals(0.10, r.best().sd(), 1e-9);
    // differences 0.3, 0.2, 0.4 points: mean 0.3, sd 0.1, t = 0.3 / (0.1 / sqrt 3)
    assertEquals(0.30, r.vsBaselineBest().difference().mean(), 1e-9);
    assertEquals(0.3 / (0.1 / Math.sqrt(3)), r.vsBaselineBest().t(), 1e-6);
    assertEquals(0.30 - 4.302653 * 0.1 / Math.sqrt(3), r.vsBaselineBest().difference().low(), 1e-5);
    assertEquals(0.40, r.vsBaselineLast().difference().mean(), 1e-9);
    assertEquals(93.63, r.paper().orElseThrow().accuracyPct());
    assertEquals("I", r.paper().orElseThrow().table());
    assertEquals(0.10, r.paperDelta().orElseThrow(), 1e-9);

    Cell single = grouping.cells().get(3);
    CellResult one = CellResult.of(single, grouping.find(single.key().baseline()));
    assertTrue(one.paper().isEmpty(), "not the paper's learning rate");
    assertTrue(!one.vsBaselineBest().hasTest());

    Cell baseline = grouping.cells().get(0);
    assertNull(CellResult.of(baseline, null).vsBaselineBest());
  }

  @Test
  void tablesSayWhenThereIsNoInterval() {
    CellGrouping grouping = CellGrouping.of(runs());
    List<CellResult> results = new ArrayList<>();
    for (Cell cell : grouping.cells()) {
      results.add(CellResult.of(cell, cell.key().isBaseline() ? null : grouping.find(cell.key().baseline())));
    }
    String best = ResultsTable.markdown(results, grouping, "best");
    assertTrue(best.contains("| fashion-mnist | resnet18 | msvp[full,add] | learning-rate=0.001 | 10 | 3 | 93.40 ± 0.10 | "
        + "+0.30 [+0.05, +0.55] | 0.035 | 93.63 (I) | +0.10 | 11,005,211 | 81 | 10.0 |"), best);
    // another learning rate than the paper's protocol: no paper figure beside it
    assertTrue(best.contains("| 90.50 (n=1) | +0.50 (1 seed: no interval) | – | – | – |"), best);
    assertTrue(best.contains("| none | learning-rate=0.001 | 10 | 3 | 93.10 ± 0.10 | (baseline) | – |"), best);
    String last = ResultsTable.markdown(results, grouping, "last");
    assertTrue(last.contains("| 93.40 ± 0.10 | +0.40 ["), last);
    String csv = ResultsTable.csv(results, grouping);
    assertEquals(5, csv.lines().count());
    assertTrue(csv.lines().skip(2).findFirst().orElseThrow()
        .startsWith("fashion-mnist,fashion-mnist:/usr/share/datasets/fashion-mnist,resnet18,\"msvp[full,add]\","), csv);
    assertTrue(ReportBuilder.sentence(results.get(1), grouping).contains(
        "+0.30 points (95% CI +0.05 to +0.55, paired t-test p = 0.035, 3 seeds): better than the baseline at the 5% level"));
    assertTrue(ReportBuilder.sentence(results.get(3), grouping).contains("one seed gives no interval"));
  }

  @Test
  void paperFiguresOnlyForTheirSettings() {
    PromptSettings gated = new PromptSettings("msvp", new MsvpSettings("full", "gated", 4, 8, 0.01f));
    assertEquals(93.61, PaperResults.lookup("fashion-mnist", "resnet18", gated).orElseThrow().accuracyPct());
    assertEquals("IV", PaperResults.lookup("fashion-mnist", "resnet18", gated).orElseThrow().table());
    assertTrue(PaperResults.lookup("fashion-mnist", "cnn", gated).isEmpty());
    assertEquals(93.58, PaperResults.lookup("fashion-mnist", "resnet18",
        new PromptSettings("msvp", new MsvpSettings("global", "add", 4, 8, 0.01f))).orElseThrow().accuracyPct());
    assertTrue(PaperResults.lookup("fashion-mnist", "resnet18",
        new PromptSettings("msvp", new MsvpSettings("full", "add", 4, 7, 0.01f))).isEmpty());
    assertEquals(89.2, PaperResults.lookup("cifar10", "cnn", PromptSettings.of("none")).orElseThrow().accuracyPct());
    assertTrue(CellKey.of(run("embedded", "none", null, 42, 1e-3, 0.5, 0.5).config()).comparableToPaper() == false);
  }

  @Test
  void ablationsPairWithThePromptAtItsDefaults() {
    List<RunRecord> runs = new ArrayList<>();
    double[] none = {0.9300, 0.9320, 0.9310};
    double[] full = {0.9330, 0.9340, 0.9350};
    double[] global = {0.9320, 0.9310, 0.9330};
    MsvpSettings globalOnly = new MsvpSettings("global", "add", 4, 8, 0.01f);
    for (int i = 0; i < 3; i++) {
      runs.add(run(FMNIST, "none", null, 42 + i, 1e-3, none[i], none[i]));
      runs.add(run(FMNIST, "msvp", MsvpSettings.defaults(), 42 + i, 1e-3, full[i], full[i]));
      runs.add(run(FMNIST, "msvp", globalOnly, 42 + i, 1e-3, global[i], global[i]));
    }
    CellGrouping grouping = CellGrouping.of(runs);
    List<CellResult> results = grouping.cells().stream().map(c -> CellResult.within(c, grouping)).toList();
    assertEquals(List.of("none", "msvp[full,add]", "msvp[global,add]"),
        results.stream().map(r -> r.cell().promptLabel()).toList());
    assertNull(results.get(0).reference(), "the baseline has no reference");
    assertNull(results.get(1).reference(), "the defaults are the reference");
    CellResult ablation = results.get(2);
    assertEquals("msvp[full,add]", ablation.reference().promptLabel());
    // global minus full: -0.1, -0.3, -0.2 points
    assertEquals(-0.20, ablation.vsReferenceBest().difference().mean(), 1e-9);
    assertEquals(0.10, ablation.vsReferenceBest().difference().sd(), 1e-9);
    assertEquals(-0.05, ablation.paperReferenceDelta().orElseThrow(), 1e-9, "Table III global minus full");
    assertEquals(0.10, ablation.vsBaselineBest().difference().mean(), 1e-9, "still compared with the baseline");

    String table = ResultsTable.ablationMarkdown(results, grouping);
    assertEquals(3, table.lines().count(), table);
    assertTrue(table.contains("| fashion-mnist | resnet18 | msvp[global,add] | 10 | 3 | 93.20 ± 0.10 | msvp[full,add] | "
        + "-0.20 [-0.45, +0.05] | 0.074 | -0.05 | 81 |"), table);
    String sentence = ReportBuilder.ablationSentence(ablation, grouping);
    assertTrue(sentence.contains("-0.20 points (95% CI -0.45 to +0.05, paired t-test p = 0.074, 3 seeds): the interval "
        + "contains 0: no difference from msvp[full,add] detected with 3 seeds."), sentence);
    // paper's -0.05 at sd 0.1: ((t(.975) + t(.8)) * 2)^2 seeds
    assertTrue(sentence.endsWith("A true difference of the paper's size (-0.05) would need "
        + SeedStatistics.seedsForPower(0.1, 0.05, 0.8) + " seeds to be detected 80% of the time at this seed-to-seed "
        + "spread (sd of the differences 0.10)."), sentence);
    String csv = ResultsTable.csv(results, grouping);
    String header = csv.lines().findFirst().orElseThrow();
    String globalRow = csv.lines().skip(3).findFirst().orElseThrow();
    assertEquals(header.split(",").length, globalRow.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1).length, globalRow);
    String[] fields = globalRow.substring(globalRow.indexOf(",\"msvp[full,add]\",3,") + 20).split(",");
    assertEquals(-0.20, Double.parseDouble(fields[0]), 1e-9, globalRow);
  }

  @Test
  void confusionPairsCountBothDirectionsPerSeed() {
    List<RunRecord> runs = runs().subList(0, 6);
    CellGrouping grouping = CellGrouping.of(runs);
    Cell none = grouping.cells().get(0);
    Cell msvp = grouping.cells().get(1);
    // rows: true class a, b; the pair's confusions are [0][1] + [1][0]
    Map<Long, long[][]> noneConfusion = Map.of(42L, new long[][] {{90, 6}, {4, 96}}, 43L, new long[][] {{91, 5}, {5, 95}},
        44L, new long[][] {{92, 3}, {5, 96}});
    Map<Long, long[][]> msvpConfusion = Map.of(42L, new long[][] {{93, 3}, {4, 96}}, 43L, new long[][] {{93, 3}, {4, 96}},
        44L, new long[][] {{94, 2}, {4, 97}});
    List<ConfusionPairs> pairs = ConfusionPairs.largestChanges(msvp, none, List.of(42L, 43L, 44L),
        run -> (run.config().prompt().name().equals("none") ? noneConfusion : msvpConfusion).get(run.seed()),
        List.of("a", "b"), 3);
    assertEquals(1, pairs.size());
    ConfusionPairs pair = pairs.get(0);
    assertEquals(List.of(10L, 10L, 8L), java.util.Arrays.stream(pair.baseline()).boxed().toList());
    assertEquals(List.of(7L, 7L, 6L), java.util.Arrays.stream(pair.prompted()).boxed().toList());
    assertEquals(-8.0 / 3, pair.meanChange(), 1e-12);
    assertTrue(pair.consistent());
    assertEquals("| a ↔ b | 10, 10, 8 | 7, 7, 6 | -2.7 | yes |", pair.markdownRow());
    assertTrue(new ConfusionPairs("a", "b", new long[] {5, 5}, new long[] {6, 5}).consistent() == false,
        "an unchanged seed is no agreement");
    assertTrue(ConfusionPairs.largestChanges(msvp, none, List.of(42L), run -> null, List.of("a", "b"), 3).isEmpty(),
        "no evaluation, no pairs");
  }
}

package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The end-to-end test: a tiny sweep, its report, and eval's figures. */
class ReportCommandTest {

  @TempDir Path temp;

  @Test
  void aTinySweepGivesAReportWithIntervalsAndFigures() throws Exception {
    String data = TinyData.write(temp.resolve("data"));
    Path file = temp.resolve("tiny.yaml");
    Files.writeString(file, """
        datasets: ["%s"]
        backbones: [cnn]
        prompts: [none, msvp]
        seeds: [42, 43]
        epochs: 1
        train: {threads: 2, eval_batch_size: 500}
        """.formatted(data));
    Path runs = temp.resolve("runs");
    CliRun sweep = CliRun.of("sweep", file.toString(), "--out", runs.toString());
    assertEquals(0, sweep.exitCode(), sweep.out() + sweep.err());
    assertTrue(sweep.out().contains("sweep finished: 4 trained"), sweep.out());

    Path report = temp.resolve("report");
    CliRun run = CliRun.of("report", runs.toString(), "--out", report.toString(), "--gradcam", "3", "--threads", "2");
    assertEquals(0, run.exitCode(), run.out() + run.err());
    String readme = Files.readString(report.resolve("README.md"));
    assertTrue(readme.contains("| dataset | backbone | prompt | epochs | seeds | test % | Δ vs none [95% CI] | p |"), readme);
    // mean ± sd over the two seeds, and a paired difference with its interval and p-value
    assertTrue(Pattern.compile("\\| fashion-mnist \\| cnn \\| none \\| 1 \\| 2 \\| \\d+\\.\\d\\d ± \\d+\\.\\d\\d \\| \\(baseline\\)")
        .matcher(readme).find(), readme);
    assertTrue(Pattern.compile("\\| msvp\\[full,add\\] \\| 1 \\| 2 \\| \\d+\\.\\d\\d ± \\d+\\.\\d\\d \\| [+-]\\d+\\.\\d\\d "
        + "\\[[+-]\\d+\\.\\d\\d, [+-]\\d+\\.\\d\\d\\] \\| (<0\\.001|\\d\\.\\d+) \\|").matcher(readme).find(), readme);
    assertTrue(readme.contains("paired t-test p = "), readme);
    // class pairs whose confusions changed most, with both seeds' counts
    assertTrue(readme.contains("## Class pairs the prompt confuses less or more"), readme);
    assertEquals(3, Pattern.compile("(?m)^\\| [^|]+ ↔ [^|]+ \\| \\d+, \\d+ \\| \\d+, \\d+ \\| [+-]\\d+\\.\\d \\| (yes|no) \\|$")
        .matcher(readme).results().count(), readme);
    List<String> csv = Files.readAllLines(report.resolve("results.csv"));
    assertEquals(3, csv.size(), String.join("\n", csv));
    assertTrue(csv.get(0).startsWith("dataset,data,backbone,prompt,settings,epochs,n_seeds,seeds,test_best_mean"));
    assertEquals(5, Files.readAllLines(report.resolve("runs.csv")).size());

    List<Path> pngs;
    try (Stream<Path> files = Files.list(report.resolve("figures"))) {
      pngs = files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    List<String> names = pngs.stream().map(p -> p.getFileName().toString()).toList();
    for (String prefix : List.of("differences", "accuracy-vs-params", "curves-", "confusion-", "prompt-maps-", "gradcam-")) {
      assertTrue(names.stream().anyMatch(n -> n.startsWith(prefix)), prefix + " missing from " + names);
    }
    for (Path png : pngs) {
      assertSensibleImage(png);
      assertTrue(readme.contains("(figures/" + png.getFileName() + ")"), png + " is not linked");
    }
    // the confusion matrices came from evaluations the report saved beside the runs
    try (Stream<Path> dirs = Files.list(runs)) {
      assertTrue(dirs.filter(Files::isDirectory).allMatch(d -> Files.exists(d.resolve("eval-best.json"))));
    }

    Path one = runs.resolve("fashion-mnist-cnn-msvp-s42");
    CliRun eval = CliRun.of("eval", "--run", one.toString(), "--gradcam", "2", "--confusion-png", "--threads", "2");
    assertEquals(0, eval.exitCode(), eval.out() + eval.err());
    assertSensibleImage(one.resolve("confusion-best.png"));
    assertSensibleImage(one.resolve("gradcam/best-01.png"));
    assertSensibleImage(one.resolve("gradcam/best-02.png"));
  }

  @Test
  void noRunsIsBadInput() {
    CliRun run = CliRun.of("report", temp.toString(), "--out", temp.resolve("r").toString());
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains("no runs there"), run.err());
  }

  private static void assertSensibleImage(Path png) throws Exception {
    BufferedImage image = ImageIO.read(png.toFile());
    assertTrue(image != null, png + " is not an image");
    assertTrue(image.getWidth() >= 300 && image.getHeight() >= 200 && image.getWidth() <= 4000
        && image.getHeight() <= 4000, png + " is " + image.getWidth() + "x" + image.getHeight());
  }
}

package dev.vprompt.studies.analysis;

import dev.vprompt.core.data.ImageSet;
import dev.vprompt.core.eval.EvalResult;
import dev.vprompt.core.run.RunConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The figures {@code vprompt eval} draws for one run: its confusion matrix and Grad-CAM overlays. */
public final class EvalFigures {

  private EvalFigures() {}

  /** {@code RUN/confusion-CHECKPOINT.png}: rows in % of the true class, with the counts' total in the title. */
  public static Path confusion(Path runDir, String checkpoint, RunConfig config, String data, EvalResult result) {
    String title = String.format(Locale.ROOT, "Confusion matrix: %s, %s + %s, %s checkpoint", config.datasetName(),
        config.backbone(), config.prompt().label(), checkpoint);
    String subtitle = String.format(Locale.ROOT, "%s, %d test images of %s, accuracy %.2f%%; each row in %% of its true "
        + "class", runDir.getFileName(), result.count(), data, 100 * result.accuracy());
    return Figures.writePng(ConfusionFigure.render(title, subtitle, config.classNames(),
        List.of(new ConfusionFigure.Panel(config.prompt().label(), ConfusionFigure.rowPercent(result.confusion()),
            ColorScale.sequential(100), "%.0f", "% of true class"))),
        runDir.resolve("confusion-" + checkpoint + ".png"));
  }

  /** {@code RUN/gradcam/CHECKPOINT-NN.png}: one file per test image, the image beside its overlay. */
  public static List<Path> gradCam(Path runDir, String checkpoint, RunConfig config, Path checkpointDir, ImageSet test,
      int count, int threads) {
    int[] rows = samples(test, count);
    List<Path> files = new ArrayList<>();
    try (GradCam cam = new GradCam(config, checkpointDir, threads)) {
      List<GradCam.Explanation> explanations = cam.explain(test, rows);
      for (int i = 0; i < rows.length; i++) {
        String title = String.format(Locale.ROOT, "Grad-CAM: test image %d", rows[i]);
        files.add(Figures.writePng(GradCamFigure.render(title, test, new int[] {rows[i]}, config.classNames(),
            List.of(new GradCamFigure.Column(config.prompt().label() + " (" + checkpoint + ")",
                List.of(explanations.get(i))))),
            runDir.resolve("gradcam").resolve(String.format(Locale.ROOT, "%s-%02d.png", checkpoint, i + 1))));
      }
    }
    return files;
  }

  /** The first image of each class in turn, then the second of each, ...: {@code n} varied test images. */
  public static int[] samples(ImageSet test, int n) {
    int classes = test.numClasses();
    int[] next = new int[classes];
    int[] picked = new int[Math.min(n, test.count())];
    int count = 0;
    boolean found = true;
    while (count < picked.length && found) {
      found = false;
      for (int c = 0; c < classes && count < picked.length; c++) {
        int i = next[c];
        while (i < test.count() && test.label(i) != c) {
          i++;
        }
        next[c] = Math.min(test.count(), i + 1);
        if (i < test.count()) {
          picked[count++] = i;
          found = true;
        }
      }
    }
    return java.util.Arrays.copyOf(picked, count);
  }
}

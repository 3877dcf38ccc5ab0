package dev.vprompt.studies.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.core.data.DatasetLoader;
import dev.vprompt.core.data.ImageSet;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Every kind of figure from synthetic inputs: valid PNGs of a sensible size. They are kept in
 * target/figure-samples for a person to look at.
 */
class FiguresTest {

  private static final Path SAMPLES = Path.of("target", "figure-samples");
  private static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
      "Shirt", "Sneaker", "Bag", "Ankle boot");

  private static BufferedImage written(BufferedImage image, String name) throws Exception {
    Path file = Figures.writePng(image, SAMPLES.resolve(name));
    BufferedImage back = ImageIO.read(file.toFile());
    assertEquals(image.getWidth(), back.getWidth());
    assertTrue(back.getWidth() >= 400 && back.getHeight() >= 200, name + " is " + back.getWidth() + "x" + back.getHeight());
    assertTrue(back.getWidth() <= 4000 && back.getHeight() <= 4000, name + " is too large");
    return back;
  }

  @Test
  void confusionMatrices() throws Exception {
    long[][] a = new long[10][10];
    long[][] b = new long[10][10];
    for (int r = 0; r < 10; r++) {
      a[r][r] = 80 + r;
      a[r][(r + 1) % 10] = 20 - r;
      b[r][r] = 85 + (r % 3);
      b[r][(r + 6) % 10] = 15 - (r % 3);
    }
    double[][] pa = ConfusionFigure.rowPercent(a);
    double[][] pb = ConfusionFigure.rowPercent(b);
    double[][] diff = ConfusionFigure.difference(pb, pa);
    assertEquals(100, pa[3][3] + pa[3][4], 1e-9);
    BufferedImage image = ConfusionFigure.render("Confusion: fashion-mnist, cnn", "rows: true class, % of its test images; 3 seeds summed",
        CLASSES, List.of(new ConfusionFigure.Panel("none", pa, ColorScale.sequential(100), "%.0f", "% of true class"),
            new ConfusionFigure.Panel("msvp[full,add]", pb, ColorScale.sequential(100), "%.0f", "% of true class"),
            new ConfusionFigure.Panel("msvp - none", diff, ColorScale.diverging(20), "%+.0f", "percentage points")));
    written(image, "confusion.png");
  }

  @Test
  void promptMaps() throws Exception {
    int h = 28;
    int w = 28;
    float[] local = new float[64];
    for (int i = 0; i < 64; i++) {
      local[i] = (float) Math.sin(i) * 0.02f;
    }
    float[] mid = new float[16];
    for (int i = 0; i < 16; i++) {
      mid[i] = (i - 8) * 0.004f;
    }
    float[] field = new float[h * w];
    for (int i = 0; i < field.length; i++) {
      field[i] = 0.1f + (float) Math.cos(i * 0.1) * 0.02f;
    }
    PromptMaps maps = new PromptMaps("msvp[full,gated]", h, w, 1, List.of(
        new PromptMaps.Scale("global", 1, new float[] {0.3f}, filled(h * w, 0.3f)),
        new PromptMaps.Scale("mid", 4, mid, field.clone()),
        new PromptMaps.Scale("local", 8, local, field.clone())), field, new float[] {0.52f});
    written(PromptMapFigure.render("Learned MSVP prompt maps: fashion-mnist, cnn, msvp[full,gated], seed 42", maps),
        "prompt-maps.png");
    // RGB: three channels side by side, no gate
    float[] rgbLocal = new float[8 * 8 * 3];
    for (int i = 0; i < rgbLocal.length; i++) {
      rgbLocal[i] = (float) Math.sin(i * 0.7) * 0.05f;
    }
    float[] rgbUp = new float[32 * 32 * 3];
    for (int i = 0; i < rgbUp.length; i++) {
      rgbUp[i] = (float) Math.cos(i * 0.05) * 0.05f;
    }
    PromptMaps rgb = new PromptMaps("msvp[global+mid,add]", 32, 32, 3, List.of(
        new PromptMaps.Scale("global", 1, new float[] {0.2f, -0.1f, 0.05f}, rgbUp.clone()),
        new PromptMaps.Scale("local", 8, rgbLocal, rgbUp.clone())), rgbUp, null);
    written(PromptMapFigure.render("Learned MSVP prompt maps: cifar10, resnet18, seed 42", rgb), "prompt-maps-rgb.png");
  }

  @Test
  void gradCamOverlays() throws Exception {
    ImageSet test = DatasetLoader.embeddedDefault().test();
    int[] rows = {0, 1, 2, 3};
    List<GradCamFigure.Column> columns = new ArrayList<>();
    for (String model : List.of("none", "msvp[full,add]")) {
      List<GradCam.Explanation> explanations = new ArrayList<>();
      for (int r : rows) {
        float[] heat = new float[28 * 28];
        for (int y = 0; y < 28; y++) {
          for (int x = 0; x < 28; x++) {
            double d = Math.hypot(x - 10 - r * 2, y - 14);
            heat[y * 28 + x] = (float) Math.exp(-d * d / 60);
          }
        }
        explanations.add(new GradCam.Explanation(r == 2 ? 6 : test.label(r), 0.87f, heat, 3, 3));
      }
      columns.add(new GradCamFigure.Column(model, explanations));
    }
    written(GradCamFigure.render("Grad-CAM: fashion-mnist, cnn, seed 42", test, rows, CLASSES, columns), "gradcam.png");
  }

  @Test
  void charts() throws Exception {
    double[] epochs = {1, 2, 3, 4, 5};
    List<TrainingCurvesChart.Curve> curves = List.of(
        new TrainingCurvesChart.Curve("none", epochs, new double[] {1.2, 0.8, 0.6, 0.5, 0.45},
            new double[] {0.9, 0.7, 0.6, 0.55, 0.52}, new double[] {60, 72, 78, 81, 83}, new double[] {68, 75, 78, 80, 81}),
        new TrainingCurvesChart.Curve("msvp[full,add]", epochs, new double[] {1.1, 0.75, 0.58, 0.49, 0.44},
            new double[] {0.88, 0.69, 0.6, 0.54, 0.5}, new double[] {62, 73, 79, 82, 84}, new double[] {69, 76, 79, 81, 82}));
    written(TrainingCurvesChart.render("Training curves: fashion-mnist, cnn", "mean over 3 seeds", curves), "curves.png");
    List<AccuracyParamsChart.Point> points = List.of(
        new AccuracyParamsChart.Point("fashion-mnist", "none", "cnn", 1_147_000, 92.5, 0.12),
        new AccuracyParamsChart.Point("fashion-mnist", "msvp[full,add]", null, 1_147_081, 92.6, 0.15),
        new AccuracyParamsChart.Point("fashion-mnist", "none", "resnet18", 11_170_000, 93.5, 0.1),
        new AccuracyParamsChart.Point("fashion-mnist", "msvp[full,add]", null, 11_170_081, 93.6, 0.1),
        new AccuracyParamsChart.Point("fashion-mnist", "none", "vit-tiny", 5_400_000, 77.3, 0.6),
        new AccuracyParamsChart.Point("cifar10", "none", "cnn", 1_148_000, 89.2, Double.NaN));
    written(AccuracyParamsChart.render("Accuracy against trainable parameters", "mean and sd over seeds", points),
        "accuracy-vs-params.png");
  }

  @Test
  void promptEffectChartOrdersLayersInputFirstAndBlocksByNumber() throws Exception {
    Map<String, Double> deep = new java.util.LinkedHashMap<>();
    deep.put("block10", 2e-6);
    deep.put("block2", 3e-3);
    deep.put("block0", 0.4);
    List<PromptEffectChart.Series> series = List.of(
        new PromptEffectChart.Series("lotep-cp", List.of(deep, Map.of("block0", 0.3, "block2", 1e-3, "block10", 5e-6))),
        new PromptEffectChart.Series("lor-vp", List.of(Map.of("input", 2e-5), Map.of("input", 3e-5))));
    assertEquals(List.of("input", "block0", "block2", "block10"), PromptEffectChart.layers(series));
    written(PromptEffectChart.render("What the prompts add: fashion-mnist[5-9], vit-tiny", "2 seeds", 1e-4, series),
        "prompt-effect.png");
    assertThrows(IllegalArgumentException.class,
        () -> PromptEffectChart.render("nothing", null, 1e-4, List.of(new PromptEffectChart.Series("none", List.of()))));
  }

  private static float[] filled(int n, float v) {
    float[] out = new float[n];
    java.util.Arrays.fill(out, v);
    return out;
  }
}

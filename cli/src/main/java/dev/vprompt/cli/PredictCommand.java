package dev.vprompt.cli;

import dev.vprompt.export.serving.DatasetInputs;
import dev.vprompt.export.serving.ImageFiles;
import dev.vprompt.export.serving.Predictions;
import dev.vprompt.export.serving.ServedModel;
import dev.vprompt.core.run.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vprompt predict}: classifies images with an exported model through TensorFlow Java's
 * SavedModelBundle alone, as any client of the model would.
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Loads an exported SavedModel with TensorFlow Java alone (no vprompt graph code) and classifies images "
          + "through its serving_default signature: PNG/JPEG files (the top-k classes and probabilities of each), "
          + "or whole datasets (the accuracy when labels are known).",
      "",
      "INPUT is an image file, KIND:DIR (the test split of a dataset, e.g. fashion-mnist:DIR, idx:DIR, cifar10:DIR) "
          + "or an IDX image file (labels from its sibling *-labels-idx1-ubyte file)."
    })
final class PredictCommand implements Callable<Integer> {

  private static final int BATCH = 256;

  @Spec CommandSpec spec;

  @Mixin DataLimitOptions limits;

  @Parameters(index = "0", paramLabel = "DIR", description = "The SavedModel, e.g. models/NAME/1.")
  Path dir;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "INPUT", description = "Images or datasets.")
  List<String> inputs;

  @Option(names = "--top-k", defaultValue = "5", description = "Classes shown per image (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--resize", description = "Resize and convert images of another size or channel count "
      + "(bilinear; RGB to grey by luma) instead of failing.")
  boolean resize;

  @Option(names = "--json", description = "Print the predictions as JSON.")
  boolean json;

  @Option(names = "--threads", defaultValue = "0", description = "TensorFlow intra-op threads; 0 uses every core.")
  int threads;

  @Option(names = "--verbose", description = "Stack traces on errors.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    limits.apply();
    if (topK < 1) {
      throw new IllegalArgumentException("--top-k must be at least 1, got " + topK);
    }
    try (ServedModel model = ServedModel.load(dir, threads)) {
      model.classNamesWarning().ifPresent(spec.commandLine().getErr()::println);
      List<Map<String, Object>> images = new ArrayList<>();
      List<Map<String, Object>> datasets = new ArrayList<>();
      List<Path> files = new ArrayList<>();
      List<DatasetInputs.Batch> batches = new ArrayList<>();
      for (String input : inputs) {
        Optional<DatasetInputs.Batch> batch = DatasetInputs.load(input);
        if (batch.isPresent()) {
          batches.add(batch.get());
        } else {
          files.add(Path.of(input));
        }
      }
      // Read every file before classifying any, so that a bad one fails the command before it prints.
      List<byte[]> pixels = new ArrayList<>();
      for (Path file : files) {
        pixels.add(ImageFiles.readFor(file, model.height(), model.width(), model.channels(), resize));
      }
      List<byte[]> datasetPixels = new ArrayList<>();
      for (DatasetInputs.Batch batch : batches) {
        datasetPixels.add(batch.pixelsFor(model.height(), model.width(), model.channels(), resize));
      }
      for (int i = 0; i < files.size(); i++) {
        Predictions p = model.predict(pixels.get(i), 1);
        images.add(imageReport(files.get(i).toString(), p, model.classNames()));
      }
      for (int i = 0; i < batches.size(); i++) {
        datasets.add(datasetReport(batches.get(i), classify(model, datasetPixels.get(i), batches.get(i).count())));
      }
      print(model, images, datasets);
    }
    return 0;
  }

  /** The predicted classes of {@code count} images, in batches. */
  private static long[] classify(ServedModel model, byte[] pixels, int count) {
    int size = model.height() * model.width() * model.channels();
    long[] predicted = new long[count];
    for (int start = 0; start < count; start += BATCH) {
      int n = Math.min(BATCH, count - start);
      byte[] chunk = java.util.Arrays.copyOfRange(pixels, start * size, (start + n) * size);
      System.arraycopy(model.predict(chunk, n).predicted(), 0, predicted, start, n);
    }
    return predicted;
  }

  private Map<String, Object> imageReport(String file, Predictions p, List<String> names) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("input", file);
    List<Map<String, Object>> top = new ArrayList<>();
    for (Predictions.Ranked r : p.top(0, topK)) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("class", r.index() < names.size() ? names.get(r.index()) : "class_" + r.index());
      entry.put("index", r.index());
      entry.put("probability", r.probability());
      top.add(entry);
    }
    report.put("top", top);
    return report;
  }

  private static Map<String, Object> datasetReport(DatasetInputs.Batch batch, long[] predicted) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("input", batch.source());
    report.put("images", batch.count());
    if (batch.labels() != null) {
      long correct = 0;
      for (int i = 0; i < predicted.length; i++) {
        correct += predicted[i] == batch.labels()[i] ? 1 : 0;
      }
      report.put("correct", correct);
      report.put("accuracy", batch.count() == 0 ? Double.NaN : (double) correct / batch.count());
    }
    return report;
  }

  private void print(ServedModel model, List<Map<String, Object>> images, List<Map<String, Object>> datasets)
      throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("model", dir.toString());
      report.put("input_shape", model.height() + "x" + model.width() + "x" + model.channels());
      report.put("images", images);
      report.put("datasets", datasets);
      out.println(Json.PRETTY.writeValueAsString(report));
      out.flush();
      return;
    }
    out.printf(Locale.ROOT, "model %s: %dx%dx%d images, %d classes%n", dir, model.height(), model.width(),
        model.channels(), model.classNames().size());
    for (Map<String, Object> image : images) {
      StringBuilder line = new StringBuilder(image.get("input") + ":");
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> top = (List<Map<String, Object>>) image.get("top");
      for (Map<String, Object> t : top) {
        line.append(String.format(Locale.ROOT, "  %s %.4f", t.get("class"), (Float) t.get("probability")));
      }
      out.println(line);
    }
    for (Map<String, Object> d : datasets) {
      if (d.containsKey("accuracy")) {
        out.printf(Locale.ROOT, "%s: %d images, accuracy %.4f (%d correct)%n", d.get("input"), d.get("images"),
            (Double) d.get("accuracy"), (Long) d.get("correct"));
      } else {
        out.printf(Locale.ROOT, "%s: %d images, no labels%n", d.get("input"), d.get("images"));
      }
    }
    out.flush();
  }
}

package dev.vprompt.export.serving;

import dev.vprompt.core.checkpoint.CheckpointIndex;
import dev.vprompt.core.data.PixelShape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * An exported image classifier as any TensorFlow Java program sees it: a SavedModel, its
 * {@code serving_default} signature (uint8 {@code images [batch, H, W, C]} to {@code probabilities},
 * {@code logits} and {@code classes}), the optional {@code predict_encoded} signature and the class names
 * in {@code assets/classes.txt}. It uses TensorFlow Java alone, none of vprompt's graph code: what it
 * can do, a client of the model can do.
 */
public final class ServedModel implements AutoCloseable {

  public static final String DEFAULT_SIGNATURE = "serving_default";
  public static final String ENCODED_SIGNATURE = "predict_encoded";
  public static final String CLASSES_FILE = "assets/classes.txt";

  private final Path dir;
  private final SavedModelBundle bundle;
  private final SessionFunction predict;
  private final SessionFunction predictEncoded;
  private final String imagesInput;
  private final String encodedInput;
  private final PixelShape imageShape;
  private final List<String> classNames;
  private String classNamesWarning;

  private ServedModel(Path dir, SavedModelBundle bundle) {
    this.dir = dir;
    this.bundle = bundle;
    predict = signature(DEFAULT_SIGNATURE);
    Signature.TensorDescription images = onlyInput(predict, DataType.DT_UINT8);
    Shape shape = images.shape;
    if (shape.isUnknown() || shape.numDimensions() != 4 || shape.get(1) < 1 || shape.get(2) < 1 || shape.get(3) < 1) {
      throw new IllegalArgumentException(dir + ": " + DEFAULT_SIGNATURE + " takes images of shape " + shape
          + ", not [batch, H, W, C] with known H, W and C");
    }
    for (String output : List.of("probabilities", "logits", "classes")) {
      if (!predict.signature().outputNames().contains(output)) {
        throw new IllegalArgumentException(dir + ": " + DEFAULT_SIGNATURE + " has no output '" + output + "'");
      }
    }
    imagesInput = predict.signature().inputNames().iterator().next();
    imageShape = new PixelShape(Math.toIntExact(shape.get(1)), Math.toIntExact(shape.get(2)),
        Math.toIntExact(shape.get(3)));
    boolean hasEncoded = bundle.signatures().stream().anyMatch(s -> s.key().equals(ENCODED_SIGNATURE));
    predictEncoded = hasEncoded ? signature(ENCODED_SIGNATURE) : null;
    encodedInput = hasEncoded ? predictEncoded.signature().inputNames().iterator().next() : null;
    if (hasEncoded) {
      onlyInput(predictEncoded, DataType.DT_STRING);
    }
    classNames = readClassNames(dir);
  }

  /**
   * Loads {@code dir} (one version directory) with the {@code serve} tag.
   *
   * @param threads intra-op threads; 0 lets TensorFlow choose
   * @throws IllegalArgumentException when it is missing or not a loadable image classifier
   */
  public static ServedModel load(Path dir, int threads) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + ": no such directory");
    }
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      throw new IllegalArgumentException(dir + ": not a SavedModel (no saved_model.pb); pass a version directory, "
          + "e.g. models/NAME/1");
    }
    requireVariables(dir);
    SavedModelBundle.Loader loader = SavedModelBundle.loader(dir.toString()).withTags(SavedModelBundle.DEFAULT_TAG);
    if (threads > 0) {
      loader.withConfigProto(ConfigProto.newBuilder().setIntraOpParallelismThreads(threads)
          .setInterOpParallelismThreads(Math.min(2, threads)).build());
    }
    SavedModelBundle bundle;
    try {
      bundle = loader.load();
    } catch (TensorFlowException | TFInvalidArgumentException e) {
      throw new IllegalArgumentException(dir + ": cannot load the SavedModel: " + firstLine(e.getMessage()), e);
    }
    try {
      return new ServedModel(dir, bundle);
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  /**
   * A graph with variables needs variables/variables.index and data files that hold every value: without
   * them TensorFlow loads the model anyway and fails on the first request with "uninitialized value".
   */
  private static void requireVariables(Path dir) {
    Path variables = dir.resolve("variables");
    Path prefix = variables.resolve("variables");
    if (!hasVariables(dir.resolve("saved_model.pb"))) {
      return;
    }
    if (!Files.isDirectory(variables)) {
      throw new IllegalArgumentException(variables + ": missing; the model's weights are not there (export it again)");
    }
    if (!CheckpointIndex.exists(prefix)) {
      throw new IllegalArgumentException(CheckpointIndex.indexFile(prefix) + ": missing; the model's weights cannot "
          + "be found without it (export it again)");
    }
    List<String> problems;
    try {
      problems = CheckpointIndex.verifyData(prefix);
    } catch (IOException e) {
      throw new IllegalArgumentException(variables + ": unreadable (" + e.getMessage() + ")", e);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(variables + ": damaged, " + problems.get(0)
          + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more variables)" : "") + "; export it again");
    }
  }

  private static boolean hasVariables(Path savedModel) {
    try {
      SavedModel model = SavedModel.parseFrom(Files.readAllBytes(savedModel));
      return model.getMetaGraphsList().stream().flatMap(m -> m.getGraphDef().getNodeList().stream())
          .anyMatch(n -> n.getOp().equals("VarHandleOp") || n.getOp().equals("VariableV2"));
    } catch (IOException e) {
      throw new IllegalArgumentException(savedModel + ": cannot load the SavedModel: not a SavedModel protocol buffer", e);
    }
  }

  public int height() {
    return imageShape.height();
  }

  public int width() {
    return imageShape.width();
  }

  public int channels() {
    return imageShape.channels();
  }

  /**
   * The class names of the asset, or {@code class_0..} when the model has none; one per output class
   * (an asset with too few names is completed with {@code class_N}, one with too many cut).
   */
  public List<String> classNames() {
    return classNames;
  }

  /** Set when the asset's names do not fit the model's outputs: what is wrong, naming the file. */
  public Optional<String> classNamesWarning() {
    return Optional.ofNullable(classNamesWarning);
  }

  public boolean acceptsEncodedImages() {
    return predictEncoded != null;
  }

  public Path directory() {
    return dir;
  }

  /**
   * Classifies {@code count} images of raw pixels, NHWC uint8, through {@code serving_default}.
   *
   * @throws IllegalArgumentException when the array does not hold {@code count} images of this model's size
   */
  public Predictions predict(byte[] pixels, int count) {
    imageShape.requireBatch(pixels.length, count);
    if (count == 0) {
      // an empty batch never reaches TensorFlow: some kernels reject zero-sized inputs
      return new Predictions(0, classNames.size(), new float[0], new float[0], new long[0]);
    }
    try (TUint8 images = TUint8.tensorOf(Shape.of(count, height(), width(), channels()), DataBuffers.of(pixels, true, false));
        Result result = predict.call(Map.of(imagesInput, images))) {
      return predictions(result, count);
    }
  }

  /** Classifies encoded PNG/JPEG/GIF/BMP files' bytes through {@code predict_encoded}. */
  public Predictions predictEncoded(List<byte[]> encoded) {
    if (predictEncoded == null) {
      throw new IllegalArgumentException(dir + ": the model has no " + ENCODED_SIGNATURE + " signature");
    }
    if (encoded.isEmpty()) {
      throw new IllegalArgumentException("no images to classify");
    }
    try (TString bytes = TString.tensorOfBytes(NdArrays.vectorOfObjects(encoded.toArray(byte[][]::new)));
        Result result = predictEncoded.call(Map.of(encodedInput, bytes))) {
      return predictions(result, encoded.size());
    } catch (TensorFlowException | TFInvalidArgumentException e) {
      // undecodable bytes fail inside the graph's decoder: report them as bad input
      throw new IllegalArgumentException("cannot decode the images: " + firstLine(e.getMessage()), e);
    }
  }

  private Predictions predictions(Result result, int count) {
    TFloat32 logits = (TFloat32) output(result, "logits");
    TFloat32 probabilities = (TFloat32) output(result, "probabilities");
    TInt64 classes = (TInt64) output(result, "classes");
    int k = Math.toIntExact(logits.shape().get(1));
    float[] l = new float[Math.toIntExact(logits.size())];
    float[] p = new float[Math.toIntExact(probabilities.size())];
    long[] c = new long[Math.toIntExact(classes.size())];
    logits.copyTo(DataBuffers.of(l, false, false));
    probabilities.copyTo(DataBuffers.of(p, false, false));
    classes.copyTo(DataBuffers.of(c, false, false));
    return new Predictions(count, k, l, p, c);
  }

  private static Tensor output(Result result, String name) {
    return result.get(name).orElseThrow(() -> new IllegalStateException("the model returned no '" + name + "'"));
  }

  private SessionFunction signature(String key) {
    try {
      return bundle.function(key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(dir + ": the SavedModel has no '" + key + "' signature", e);
    }
  }

  private Signature.TensorDescription onlyInput(SessionFunction function, DataType type) {
    Map<String, Signature.TensorDescription> inputs = function.signature().getInputs();
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(dir + ": " + function.signature().key() + " takes " + inputs.size()
          + " inputs, not one image tensor");
    }
    Signature.TensorDescription input = inputs.values().iterator().next();
    if (input.dataType != type) {
      throw new IllegalArgumentException(dir + ": " + function.signature().key() + " takes " + input.dataType
          + ", not " + type);
    }
    return input;
  }

  private List<String> readClassNames(Path dir) {
    Path file = dir.resolve(CLASSES_FILE);
    List<String> names = new ArrayList<>();
    if (Files.isRegularFile(file)) {
      try {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            names.add(line.strip());
          }
        }
      } catch (java.nio.charset.MalformedInputException e) {
        throw new IllegalArgumentException(file + ": not UTF-8 text (one class name a line); export the model again", e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    Shape logits = predict.signature().getOutputs().get("logits").shape;
    long k = logits.isUnknown() || logits.numDimensions() != 2 ? -1 : logits.get(1);
    if (!names.isEmpty() && k > 0 && names.size() != k) {
      classNamesWarning = String.format(Locale.ROOT, "%s: warning: names %d classes but the model has %d outputs; "
          + "%s (export the model again)", file, names.size(), k,
          names.size() < k ? "the others are shown as class_N" : "the names after the " + k + "th are ignored");
    }
    if (k > 0) {
      while (names.size() > k) {
        names.remove(names.size() - 1);
      }
      for (int i = names.size(); i < k; i++) {
        names.add("class_" + i);
      }
    }
    return List.copyOf(names);
  }

  /** TensorFlow's messages start with a newline and end with the failing node on another line. */
  private static String firstLine(String message) {
    return String.valueOf(message).strip().lines().findFirst().orElse("").strip();
  }

  @Override
  public void close() {
    bundle.close();
  }
}

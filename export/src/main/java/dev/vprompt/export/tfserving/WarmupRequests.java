package dev.vprompt.export.tfserving;

import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.vprompt.core.data.ImageSet;
import dev.vprompt.export.serving.PngImages;
import dev.vprompt.export.serving.Predictions;
import dev.vprompt.export.serving.ServedModel;
import dev.vprompt.ops.io.TfRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.PredictionLogOuterClass.PredictLog;
import tensorflow.serving.PredictionLogOuterClass.PredictionLog;

/**
 * TF Serving's SavedModel warm-up file, {@code assets.extra/tf_serving_warmup_requests}: a TFRecord of
 * {@code PredictionLog}s that the server replays when it loads a version (with {@code
 * --enable_model_warmup}, its default), so the first client request does not pay for TensorFlow's lazy
 * initialisation. One request per signature and batch size, of real test images.
 */
public final class WarmupRequests {

  public static final String FILE = "assets.extra/tf_serving_warmup_requests";
  /** Batch sizes replayed per signature: one image, a small and a larger batch. */
  static final int[] BATCH_SIZES = {1, 8, 32};
  /** TF Serving reads at most this many warm-up records. */
  public static final int MAX_RECORDS = 1000;

  private WarmupRequests() {}

  /**
   * The warm-up requests of a model with the given signatures, cycling through {@code images}.
   *
   * @param modelName the model's name in TF Serving (its base directory's name)
   * @param version the version directory's number
   */
  public static List<PredictionLog> build(String modelName, long version, List<String> signatures, ImageSet images) {
    if (images.count() == 0) {
      throw new IllegalArgumentException("no images to build warm-up requests from");
    }
    List<PredictionLog> logs = new ArrayList<>();
    for (String signature : signatures) {
      for (int batch : BATCH_SIZES) {
        ModelSpec spec = ModelSpec.newBuilder().setName(modelName).setVersion(Int64Value.of(version))
            .setSignatureName(signature).build();
        PredictRequest.Builder request = PredictRequest.newBuilder().setModelSpec(spec);
        if (signature.equals(ServedModel.ENCODED_SIGNATURE)) {
          request.putInputs("image_bytes", encodedImages(images, batch));
        } else {
          request.putInputs("images", rawImages(images, batch));
        }
        logs.add(PredictionLog.newBuilder().setPredictLog(PredictLog.newBuilder().setRequest(request)).build());
      }
    }
    if (logs.size() > MAX_RECORDS) {
      throw new IllegalStateException(logs.size() + " warm-up records; TF Serving reads at most " + MAX_RECORDS);
    }
    return logs;
  }

  private static TensorProto rawImages(ImageSet images, int batch) {
    int size = images.imageSize();
    byte[] pixels = new byte[batch * size];
    for (int i = 0; i < batch; i++) {
      System.arraycopy(images.imageBytes(i % images.count()), 0, pixels, i * size, size);
    }
    return TensorProto.newBuilder()
        .setDtype(DataType.DT_UINT8)
        .setTensorShape(shape(batch, images.height(), images.width(), images.channels()))
        .setTensorContent(ByteString.copyFrom(pixels))
        .build();
  }

  private static TensorProto encodedImages(ImageSet images, int batch) {
    TensorProto.Builder tensor = TensorProto.newBuilder().setDtype(DataType.DT_STRING).setTensorShape(shape(batch));
    for (int i = 0; i < batch; i++) {
      byte[] png = PngImages.encode(images.imageBytes(i % images.count()), 0, images.height(), images.width(),
          images.channels());
      tensor.addStringVal(ByteString.copyFrom(png));
    }
    return tensor.build();
  }

  private static TensorShapeProto shape(long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return shape.build();
  }

  /** Writes the records below a version directory (TensorFlow's TFRecord writer does the framing). */
  public static void write(Path versionDir, List<PredictionLog> logs) throws IOException {
    Path file = versionDir.resolve(FILE);
    Files.createDirectories(file.getParent());
    TfRecords.write(file, logs.stream().map(PredictionLog::toByteArray).toList());
  }

  /** The records of a version directory, or an empty list when it has no warm-up file. */
  public static List<PredictionLog> read(Path versionDir) throws IOException {
    Path file = versionDir.resolve(FILE);
    if (!Files.exists(file)) {
      return List.of();
    }
    List<PredictionLog> logs = new ArrayList<>();
    for (byte[] record : TfRecords.read(file)) {
      try {
        logs.add(PredictionLog.parseFrom(record));
      } catch (InvalidProtocolBufferException e) {
        throw new IOException(file + ": record " + (logs.size() + 1) + " is not a PredictionLog", e);
      }
    }
    return logs;
  }

  /**
   * Replays every record of the written file through the loaded model, as TF Serving's warm-up does, and
   * returns how many ran; a record the model rejects is an error naming it.
   */
  public static int replay(ServedModel model) throws IOException {
    List<PredictionLog> logs = read(model.directory());
    int n = 0;
    for (PredictionLog log : logs) {
      n++;
      PredictRequest request = log.getPredictLog().getRequest();
      String signature = request.getModelSpec().getSignatureName();
      Map<String, TensorProto> inputs = request.getInputsMap();
      Predictions predictions;
      long batch;
      if (signature.equals(ServedModel.ENCODED_SIGNATURE)) {
        TensorProto bytes = inputs.get("image_bytes");
        batch = bytes.getStringValCount();
        predictions = model.predictEncoded(bytes.getStringValList().stream().map(ByteString::toByteArray).toList());
      } else {
        TensorProto images = inputs.get("images");
        batch = images.getTensorShape().getDim(0).getSize();
        predictions = model.predict(images.getTensorContent().toByteArray(), Math.toIntExact(batch));
      }
      if (predictions.count() != batch) {
        throw new IOException(model.directory().resolve(FILE) + ": record " + n + " (" + signature + ", batch "
            + batch + ") gave " + predictions.count() + " predictions");
      }
    }
    return n;
  }

  /** One line per record, for {@code inspect}. */
  public static List<String> describe(List<PredictionLog> logs) {
    List<String> lines = new ArrayList<>();
    for (PredictionLog log : logs) {
      PredictRequest request = log.getPredictLog().getRequest();
      StringBuilder line = new StringBuilder(request.getModelSpec().getSignatureName());
      request.getInputsMap().forEach((name, tensor) -> line.append(' ').append(name).append(' ')
          .append(tensor.getDtype().name().substring("DT_".length()).toLowerCase(java.util.Locale.ROOT))
          .append(dims(tensor.getTensorShape())));
      lines.add(line.toString());
    }
    return lines;
  }

  private static String dims(TensorShapeProto shape) {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < shape.getDimCount(); i++) {
      text.append(i == 0 ? "" : ",").append(shape.getDim(i).getSize());
    }
    return text.append(']').toString();
  }
}

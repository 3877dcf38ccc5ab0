package dev.vprompt.export.tfserving;

import com.google.protobuf.Int64Value;
import com.google.protobuf.StringValue;
import com.google.protobuf.TextFormat;
import dev.vprompt.export.serving.ServedModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import tensorflow.serving.FileSystemStoragePathSource.FileSystemStoragePathSourceConfig.ServableVersionPolicy;
import tensorflow.serving.ModelServerConfigOuterClass.ModelConfig;
import tensorflow.serving.ModelServerConfigOuterClass.ModelConfigList;
import tensorflow.serving.ModelServerConfigOuterClass.ModelServerConfig;
import tensorflow.serving.SessionBundleConfigOuterClass.BatchingParameters;

/**
 * TF Serving's two configuration files for exported models, in protobuf text format: {@code
 * models.config} ({@code --model_config_file}: name, base path, platform, version policy per model) and
 * {@code batching_parameters.txt} ({@code --batching_parameters_file}), both next to the model
 * directories. An existing models.config keeps its other models.
 */
public final class ServingConfig {

  public static final String MODELS_CONFIG = "models.config";
  public static final String BATCHING_PARAMETERS = "batching_parameters.txt";

  private ServingConfig() {}

  /** What was written. */
  public record Written(Path modelsConfig, Path batchingParameters, ModelConfig model, BatchingParameters batching) {}

  /**
   * @param modelDir {@code models/NAME}, holding the version directories
   * @param servingRoot where TF Serving sees the directory holding {@code modelDir} (the container's mount,
   *     {@code /models} by default)
   * @param model a loaded version of the model, timed for the batch timeout
   */
  public static Written write(Path modelDir, String servingRoot, ServedModel model) throws IOException {
    Path root = modelDir.toAbsolutePath().normalize().getParent();
    String name = modelDir.toAbsolutePath().normalize().getFileName().toString();
    ModelConfig config = ModelConfig.newBuilder()
        .setName(name)
        .setBasePath(servingRoot.replaceAll("/+$", "") + "/" + name)
        .setModelPlatform("tensorflow")
        .setModelVersionPolicy(ServableVersionPolicy.newBuilder()
            .setLatest(ServableVersionPolicy.Latest.newBuilder().setNumVersions(1)))
        .build();
    Path modelsConfig = root.resolve(MODELS_CONFIG);
    ModelServerConfig merged = merge(read(modelsConfig), config);
    writeText(modelsConfig, TextFormat.printer().printToString(merged));

    BatchingParameters batching = batching(Runtime.getRuntime().availableProcessors(), singleImageMicros(model));
    Path batchingFile = root.resolve(BATCHING_PARAMETERS);
    writeText(batchingFile, TextFormat.printer().printToString(batching));
    return new Written(modelsConfig, batchingFile, config, batching);
  }

  /**
   * Batches padded to the warm-up's batch sizes (so every shape the server runs was warmed up), one
   * batch thread per core (TF Serving's advice for CPU), and a timeout of about one single-image
   * inference: a request waits at most that long for company, so batching at most doubles its latency.
   */
  static BatchingParameters batching(int cores, long singleImageMicros) {
    long[] sizes = Arrays.stream(WarmupRequests.BATCH_SIZES).asLongStream().toArray();
    BatchingParameters.Builder b = BatchingParameters.newBuilder()
        .setMaxBatchSize(Int64Value.of(sizes[sizes.length - 1]))
        .setBatchTimeoutMicros(Int64Value.of(Math.max(100, Math.min(10_000, singleImageMicros))))
        .setMaxEnqueuedBatches(Int64Value.of(100))
        .setNumBatchThreads(Int64Value.of(Math.max(1, cores)))
        .setThreadPoolName(StringValue.of("vprompt_batch_threads"));
    for (long size : sizes) {
      b.addAllowedBatchSizes(size);
    }
    return b.build();
  }

  /** The median of 7 timed single-image calls after one untimed call. */
  private static long singleImageMicros(ServedModel model) {
    byte[] pixels = new byte[model.height() * model.width() * model.channels()];
    model.predict(pixels, 1);
    long[] micros = new long[7];
    for (int i = 0; i < micros.length; i++) {
      long start = System.nanoTime();
      model.predict(pixels, 1);
      micros[i] = (System.nanoTime() - start) / 1000;
    }
    Arrays.sort(micros);
    return micros[micros.length / 2];
  }

  static ModelServerConfig read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return ModelServerConfig.getDefaultInstance();
    }
    ModelServerConfig.Builder builder = ModelServerConfig.newBuilder();
    try {
      TextFormat.getParser().merge(Files.readString(file, StandardCharsets.UTF_8), builder);
    } catch (TextFormat.ParseException e) {
      throw new IllegalArgumentException(file + ": not a TF Serving model config this version of vprompt can update ("
          + e.getMessage() + "); move it away or pass another --out");
    }
    return builder.build();
  }

  /** {@code config} replaces the model of the same name, or is added after the others. */
  static ModelServerConfig merge(ModelServerConfig existing, ModelConfig config) {
    ModelConfigList.Builder list = ModelConfigList.newBuilder();
    boolean replaced = false;
    for (ModelConfig c : existing.getModelConfigList().getConfigList()) {
      if (c.getName().equals(config.getName())) {
        list.addConfig(config);
        replaced = true;
      } else {
        list.addConfig(c);
      }
    }
    if (!replaced) {
      list.addConfig(config);
    }
    return ModelServerConfig.newBuilder().setModelConfigList(list).build();
  }

  private static void writeText(Path file, String text) throws IOException {
    Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}

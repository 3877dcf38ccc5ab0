package dev.vprompt.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.TextFormat;
import dev.vprompt.core.data.ImageSet;
import dev.vprompt.core.data.LoadedData;
import dev.vprompt.core.run.RunConfig;
import dev.vprompt.export.inspect.Finding;
import dev.vprompt.export.inspect.Inspection;
import dev.vprompt.export.inspect.SavedModelInspector;
import dev.vprompt.export.serving.ServedModel;
import dev.vprompt.export.tfserving.ServingConfig;
import dev.vprompt.export.tfserving.WarmupRequests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import tensorflow.serving.ModelServerConfigOuterClass.ModelConfig;
import tensorflow.serving.ModelServerConfigOuterClass.ModelServerConfig;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.PredictionLogOuterClass.PredictionLog;
import tensorflow.serving.SessionBundleConfigOuterClass.BatchingParameters;

/** TF Serving's warm-up records and configuration files, written at export and read back. */
class ServingExtrasTest {

  @TempDir Path temp;

  @Test
  void exportWritesWarmupRequestsOfRealTestImagesThatTheModelAnswers() throws Exception {
    RunConfig config = RunFixtures.config("cnn", null, RunFixtures.msvp("add"));
    Path run = RunFixtures.untrainedRun(temp.resolve("run"), config);
    ModelExporter.export(new ExportRequest(run, "best", temp.resolve("models/fmnist"), null, 16, 2), line -> {});
    Path dir = temp.resolve("models/fmnist/1");

    List<PredictionLog> logs = WarmupRequests.read(dir);
    assertEquals(6, logs.size(), "2 signatures x 3 batch sizes");
    ImageSet test = LoadedData.forRun(config).splits().test();
    int i = 0;
    for (String signature : List.of("serving_default", "predict_encoded")) {
      for (int batch : new int[] {1, 8, 32}) {
        PredictRequest request = logs.get(i++).getPredictLog().getRequest();
        assertEquals(signature, request.getModelSpec().getSignatureName());
        assertEquals("fmnist", request.getModelSpec().getName());
        assertEquals(1, request.getModelSpec().getVersion().getValue());
        if (signature.equals("serving_default")) {
          TensorProto images = request.getInputsOrThrow("images");
          assertEquals(DataType.DT_UINT8, images.getDtype());
          assertEquals(List.of((long) batch, 28L, 28L, 1L),
              images.getTensorShape().getDimList().stream().map(d -> d.getSize()).toList());
          byte[] first = Arrays.copyOf(images.getTensorContent().toByteArray(), 28 * 28);
          assertArrayEquals(test.imageBytes(0), first, "the run's first test image");
        } else {
          TensorProto bytes = request.getInputsOrThrow("image_bytes");
          assertEquals(DataType.DT_STRING, bytes.getDtype());
          assertEquals(batch, bytes.getStringValCount());
          assertEquals((byte) 0x89, bytes.getStringVal(0).byteAt(0), "PNG signature");
        }
      }
    }
    try (ServedModel model = ServedModel.load(dir, 2)) {
      assertEquals(6, WarmupRequests.replay(model));
    }
    Inspection inspection = SavedModelInspector.inspect(dir);
    assertTrue(inspection.clean(), inspection.findings().toString());
    assertEquals("serving_default images uint8[8,28,28,1]", inspection.warmup().get(1));
    assertEquals("predict_encoded image_bytes string[32]", inspection.warmup().get(5));

    // a truncated file (a copy cut short) is a finding, not a crash
    Path file = dir.resolve(WarmupRequests.FILE);
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(whole, whole.length - 100));
    Inspection damaged = SavedModelInspector.inspect(dir);
    assertFalse(damaged.clean());
    assertEquals(Finding.BAD_WARMUP, damaged.findings().get(0).rule());
    assertTrue(damaged.findings().get(0).message().contains(file.toString()), damaged.findings().toString());

    // models.config keeps other models and replaces this one; batch sizes end at the maximum
    Path models = temp.resolve("models");
    Files.writeString(models.resolve(ServingConfig.MODELS_CONFIG), "model_config_list { config { name: \"other\" "
        + "base_path: \"/models/other\" model_platform: \"tensorflow\" } }\n", StandardCharsets.UTF_8);
    Files.write(file, whole);
    try (ServedModel model = ServedModel.load(dir, 2)) {
      ServingConfig.write(models.resolve("fmnist"), "/srv/models/", model);
      ServingConfig.write(models.resolve("fmnist"), "/srv/models/", model);
    }
    ModelServerConfig.Builder parsed = ModelServerConfig.newBuilder();
    TextFormat.getParser().merge(Files.readString(models.resolve(ServingConfig.MODELS_CONFIG)), parsed);
    List<ModelConfig> configs = parsed.getModelConfigList().getConfigList();
    assertEquals(List.of("other", "fmnist"), configs.stream().map(ModelConfig::getName).toList());
    assertEquals("/srv/models/fmnist", configs.get(1).getBasePath());
    assertEquals(1, configs.get(1).getModelVersionPolicy().getLatest().getNumVersions());
    BatchingParameters.Builder batching = BatchingParameters.newBuilder();
    TextFormat.getParser().merge(Files.readString(models.resolve(ServingConfig.BATCHING_PARAMETERS)), batching);
    assertEquals(List.of(1L, 8L, 32L), batching.getAllowedBatchSizesList());
    assertEquals(32, batching.getMaxBatchSize().getValue());
    assertEquals(Runtime.getRuntime().availableProcessors(), batching.getNumBatchThreads().getValue());
    long timeout = batching.getBatchTimeoutMicros().getValue();
    assertTrue(timeout >= 100 && timeout <= 10_000, "timeout " + timeout);

    Files.writeString(models.resolve(ServingConfig.MODELS_CONFIG), "model_config_list { config { nme: 1 } }");
    try (ServedModel model = ServedModel.load(dir, 2)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ServingConfig.write(models.resolve("fmnist"), "/models", model));
      assertTrue(e.getMessage().startsWith(models.resolve(ServingConfig.MODELS_CONFIG).toAbsolutePath().toString()),
          e.getMessage());
    }
  }
}

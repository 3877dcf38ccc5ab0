package dev.vprompt.export;

import dev.vprompt.graph.prompts.msvp.MsvpSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.export.inspect.Inspection;
import dev.vprompt.export.inspect.SavedModelInspector;
import dev.vprompt.graph.ParameterCounts;
import dev.vprompt.ops.Tensors;
import dev.vprompt.core.data.ClassNames;
import dev.vprompt.core.data.ImageSet;
import dev.vprompt.core.data.LoadedData;
import dev.vprompt.core.eval.InferenceModel;
import dev.vprompt.core.run.RunConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.types.TUint8;

/** Export of untrained run fixtures: what the graph holds, what it computes, and what failures leave. */
class ModelExporterTest {

  @TempDir Path temp;

  private ExportResult export(Path run, Path models) {
    return ModelExporter.export(new ExportRequest(run, "best", models, null, 64, 2), line -> {});
  }

  @Test
  void anAdditivePromptBecomesOneConstantAndNoVariables() throws Exception {
    RunConfig config = RunFixtures.config("cnn", null, RunFixtures.msvp("add"));
    Path run = RunFixtures.untrainedRun(temp.resolve("run"), config);
    ExportResult result = export(run, temp.resolve("models/add"));

    Path dir = temp.resolve("models/add/1");
    assertEquals(dir.toAbsolutePath(), result.directory().toAbsolutePath());
    assertEquals("msvp", result.foldedPrompt());
    List<NodeDef> folded = SavedModels.graph(dir).getNodeList().stream()
        .filter(n -> n.getName().endsWith("folded_prompt")).toList();
    assertEquals(1, folded.size(), "one folded prompt constant");
    assertEquals("Const", folded.get(0).getOp());
    float[] field = floats(folded.get(0).getAttrOrThrow("value").getTensor());
    assertEquals(28 * 28, field.length);
    assertTrue(IntStream.range(0, field.length).anyMatch(i -> field[i] != 0f), "the N(0, 0.01) prompt is not zero");

    List<String> variables = SavedModels.variableNames(dir);
    assertTrue(variables.stream().noneMatch(v -> v.startsWith("prompt.")), variables.toString());
    assertEquals(variables.size(), result.variables());
    long backboneAndHead = ParameterCounts.of(config.modelSpec()).backbone() + ParameterCounts.of(config.modelSpec()).head();
    Inspection inspection = SavedModelInspector.inspect(dir);
    assertTrue(inspection.clean(), inspection.findings().toString());
    assertTrue(inspection.variables().values() > backboneAndHead, "weights plus batch-norm statistics");
    // the prompt's bilinear upsampling is gone: the one ResizeBilinear left is the image decoder's
    assertEquals(1, inspection.ops().get("ResizeBilinear"));

    assertMatchesTheRun(dir, config, run);
    assertEquals(ClassNames.FASHION_MNIST,
        Files.readAllLines(dir.resolve("assets/classes.txt"), StandardCharsets.UTF_8));
  }

  @Test
  void aGatedPromptFoldsItsGateToo() throws Exception {
    RunConfig config = RunFixtures.config("cnn", null, RunFixtures.msvp("gated"));
    Path run = RunFixtures.untrainedRun(temp.resolve("run"), config);
    export(run, temp.resolve("models/gated"));
    Path dir = temp.resolve("models/gated/1");
    assertTrue(SavedModels.variableNames(dir).stream().noneMatch(v -> v.startsWith("prompt.")));
    assertTrue(SavedModels.graph(dir).getNodeList().stream().anyMatch(n -> n.getName().endsWith("folded_prompt")));
    assertMatchesTheRun(dir, config, run);
  }

  @Test
  void aConcatPromptKeepsItsVariables() throws Exception {
    RunConfig config = RunFixtures.config("cnn", null, RunFixtures.msvp("concat"));
    Path run = RunFixtures.untrainedRun(temp.resolve("run"), config);
    ExportResult result = export(run, temp.resolve("models/concat"));
    Path dir = temp.resolve("models/concat/1");
    assertEquals(null, result.foldedPrompt());
    List<String> variables = SavedModels.variableNames(dir);
    assertTrue(variables.containsAll(List.of("prompt.msvp.global", "prompt.msvp.mid", "prompt.msvp.local",
        "prompt.msvp.fuse.kernel", "prompt.msvp.fuse.bias")), variables.toString());
    assertTrue(SavedModels.graph(dir).getNodeList().stream().noneMatch(n -> n.getName().endsWith("folded_prompt")));
    assertTrue(SavedModelInspector.inspect(dir).clean());
    assertMatchesTheRun(dir, config, run);
  }

  @Test
  void otherBackbonesExportCleanly() throws Exception {
    for (RunConfig config : List.of(RunFixtures.config("vit-tiny", 7, RunFixtures.msvp("add")),
        RunFixtures.config("resnet18", null, RunFixtures.none()))) {
      Path run = RunFixtures.untrainedRun(temp.resolve("run-" + config.backbone()), config);
      ExportResult result = ModelExporter.export(
          new ExportRequest(run, "best", temp.resolve("models/" + config.backbone()), null, 16, 2), line -> {});
      Inspection inspection = SavedModelInspector.inspect(result.directory());
      assertTrue(inspection.clean(), config.backbone() + ": " + inspection.findings());
      assertTrue(result.verification().maxLogitDifference() <= 1e-5);
      assertTrue(SavedModels.variableNames(result.directory()).stream().noneMatch(v -> v.startsWith("prompt.")));
    }
  }

  @Test
  void versionsCountUpAndAreNeverOverwritten() throws Exception {
    Path run = RunFixtures.untrainedRun(temp.resolve("run"), RunFixtures.config("cnn", null, RunFixtures.none()));
    Path models = temp.resolve("models/m");
    assertEquals(1, export(run, models).version());
    assertEquals(2, export(run, models).version());
    assertEquals(7, ModelExporter.export(new ExportRequest(run, "best", models, 7L, 8, 2), line -> {}).version());
    assertEquals(8, export(run, models).version());
    IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
        () -> ModelExporter.export(new ExportRequest(run, "best", models, 2L, 8, 2), line -> {}));
    assertTrue(again.getMessage().contains("already exists"), again.getMessage());
    assertEquals(List.of("1", "2", "7", "8"), entries(models));
  }

  @Test
  void aFailedVerificationLeavesNothingBehind() throws Exception {
    Path run = RunFixtures.untrainedRun(temp.resolve("run"), RunFixtures.config("cnn", null, RunFixtures.none()));
    Path models = temp.resolve("models/m");
    export(run, models);
    ModelExporter.Check failing = (dir, config, checkpoint, sample, threads) -> {
      assertTrue(Files.isRegularFile(dir.resolve("saved_model.pb")), "the check sees the staged model");
      throw new ExportVerificationException("simulated disagreement");
    };
    assertThrows(ExportVerificationException.class, () -> ModelExporter.export(
        new ExportRequest(run, "best", models, null, 8, 2), line -> {}, failing));
    assertEquals(List.of("1"), entries(models), "no version 2 and no staging directory");

    Path fresh = temp.resolve("models/fresh");
    assertThrows(ExportVerificationException.class, () -> ModelExporter.export(
        new ExportRequest(run, "best", fresh, null, 8, 2), line -> {}, failing));
    assertFalse(Files.exists(fresh), "the model directory it created is removed too");
  }

  @Test
  void badRunsAreRejectedBeforeAnythingIsWritten() throws Exception {
    Path models = temp.resolve("models/m");
    Path cnn = RunFixtures.untrainedRun(temp.resolve("cnn"), RunFixtures.config("cnn", null, RunFixtures.msvp("add")));

    Path noConfig = Files.createDirectories(temp.resolve("no-config"));
    Path noCheckpoint = RunFixtures.untrainedRun(temp.resolve("no-checkpoint"),
        RunFixtures.config("cnn", null, RunFixtures.none()));
    Files.delete(noCheckpoint.resolve("checkpoints/best/model.index"));
    // a config that does not describe the checkpoint: resnet18's variables are not in a cnn checkpoint
    Path mismatch = RunFixtures.runWithCheckpointOf(temp.resolve("mismatch"), RunFixtures.config("resnet18", null,
        RunFixtures.none()), cnn);
    // a checkpoint whose prompt shapes differ from the config's (local 8x8 saved, 7x7 configured)
    Path shapes = RunFixtures.runWithCheckpointOf(temp.resolve("shapes"), RunFixtures.config("cnn", null,
        new dev.vprompt.graph.prompts.PromptSettings("msvp",
            new dev.vprompt.graph.prompts.msvp.MsvpSettings("full", "add", 4, 7, 0.01f))), cnn);
    Path truncated = RunFixtures.untrainedRun(temp.resolve("truncated"), RunFixtures.config("cnn", null,
        RunFixtures.none()));
    Path data = truncated.resolve("checkpoints/best/model.data-00000-of-00001");
    Files.write(data, java.util.Arrays.copyOf(Files.readAllBytes(data), 1000));

    Map<Path, String> expected = Map.of(
        temp.resolve("missing"), "no such run directory",
        noConfig, "config.json",
        noCheckpoint, "no checkpoint there",
        mismatch, "has no tensor 'backbone.stem.conv.kernel'",
        shapes, "prompt.msvp.local",
        truncated, "could not restore");
    for (Map.Entry<Path, String> bad : expected.entrySet()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> export(bad.getKey(), models),
          bad.getKey().toString());
      assertTrue(e.getMessage().contains(bad.getValue()), e.getMessage());
      assertFalse(Files.exists(models), "nothing written for " + bad.getKey());
    }
  }

  /** Independently of the exporter's own check: the run's inference graph and the SavedModel agree. */
  private static void assertMatchesTheRun(Path dir, RunConfig config, Path run) throws Exception {
    ImageSet test = LoadedData.load("embedded").splits().test().subset(IntStream.range(100, 132).toArray());
    float[] expected;
    try (InferenceModel model = new InferenceModel(config, test, run.resolve("checkpoints/best"), 2)) {
      expected = model.logits(IntStream.range(0, test.count()).toArray());
    }
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), "serve");
        TUint8 images = Tensors.bytes(Shape.of(test.count(), 28, 28, 1), test.pixels());
        Result result = bundle.function("serving_default").call(Map.of("images", images))) {
      float[] actual = Tensors.toFloats(result.get("logits").orElseThrow());
      assertEquals(expected.length, actual.length);
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], actual[i], 1e-5, "logit " + i);
      }
    }
  }

  private static float[] floats(TensorProto tensor) {
    if (tensor.getFloatValCount() > 0) {
      float[] values = new float[tensor.getFloatValCount()];
      for (int i = 0; i < values.length; i++) {
        values[i] = tensor.getFloatVal(i);
      }
      return values;
    }
    ByteBuffer content = tensor.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[content.remaining() / 4];
    content.asFloatBuffer().get(values);
    return values;
  }

  /** What a model directory holds besides its (hidden) lock file. */
  private static List<String> entries(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".vprompt.lock")).sorted().toList();
    }
  }
}

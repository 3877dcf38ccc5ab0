package dev.vprompt.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.core.checkpoint.CheckpointIo;
import dev.vprompt.core.data.ImageSet;
import dev.vprompt.core.data.LoadedData;
import dev.vprompt.core.eval.InferenceModel;
import dev.vprompt.core.run.RunConfig;
import dev.vprompt.graph.Classifier;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.graph.prompts.PromptSettings;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TUint8;

/** LoRA's export: the update merged into the frozen qkv kernels, nothing of LoRA left, the same logits. */
class LoraExportTest {

  @TempDir Path temp;

  @Test
  void theLowRankUpdateIsMergedIntoTheQkvKernelsAndComputesTheUnmergedGraph() throws Exception {
    RunConfig config = RunFixtures.config("vit(patch=7,dim=16,depth=2,heads=2)", null, PromptSettings.of("lora"));
    Path run = runWithNonZeroB(temp.resolve("run"), config);
    ExportResult result = ModelExporter.export(new ExportRequest(run, "best", temp.resolve("models"), null, 32, 2),
        line -> {});
    Path dir = result.directory();
    assertEquals("lora", result.foldedPrompt());

    List<String> variables = SavedModels.variableNames(dir);
    assertTrue(variables.stream().noneMatch(v -> v.startsWith("prompt.")), variables.toString());
    assertTrue(variables.contains("backbone.block2.attn.qkv.kernel"), variables.toString());
    assertTrue(SavedModels.graph(dir).getNodeList().stream().noneMatch(n -> n.getName().contains("lora")),
        "no LoRA op is served");

    // the unmerged graph (the run's own inference graph) against the exported model, on test images
    ImageSet test = LoadedData.load("embedded").splits().test().subset(IntStream.range(0, 32).toArray());
    float[] expected;
    try (InferenceModel model = new InferenceModel(config, test, run.resolve("checkpoints/best"), 2)) {
      expected = model.logits(IntStream.range(0, test.count()).toArray());
    }
    float[] unprompted = logitsWithoutLora(config, run, test);
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), "serve");
        TUint8 images = Tensors.bytes(Shape.of(test.count(), 28, 28, 1), test.pixels());
        Result out = bundle.function("serving_default").call(Map.of("images", images))) {
      float[] actual = Tensors.toFloats(out.get("logits").orElseThrow());
      double largest = 1;
      double loraEffect = 0;
      for (int i = 0; i < expected.length; i++) {
        largest = Math.max(largest, Math.abs(expected[i]));
        loraEffect = Math.max(loraEffect, Math.abs(expected[i] - unprompted[i]));
      }
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], actual[i], 1e-5 * largest, "logit " + i);
      }
      assertTrue(loraEffect > 1e-2, "the fixture's LoRA changes the logits (by " + loraEffect + ")");
    }
  }

  /** An untrained run whose B factors are random (B = 0 would make merging trivially right). */
  private static Path runWithNonZeroB(Path dir, RunConfig config) throws Exception {
    return RunFixtures.untrainedRun(dir, config, (tf, session, params) -> {
      Session.Runner randomise = session.runner();
      int bs = 0;
      for (Parameter p : params.all()) {
        if (p.name().startsWith("prompt.lora.") && p.name().endsWith(".b")) {
          randomise.addTarget(tf.assign(p.variable(), tf.math.mul(tf.random.statelessRandomNormal(
              tf.constant(p.shape()), tf.constant(new long[] {7, bs++})), tf.constant(0.5f))));
        }
      }
      assertEquals(4, bs, "q and v of two blocks");
      randomise.run();
    });
  }

  /** The same checkpoint's backbone and head without LoRA, to show the fixture's LoRA matters. */
  private static float[] logitsWithoutLora(RunConfig config, Path run, ImageSet test) throws Exception {
    ModelSpec lora = config.modelSpec();
    ModelSpec plain = lora.withPrompt(PromptSettings.of("none").create());
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      ParameterStore params = new ParameterStore(tf, 0);
      Placeholder<TUint8> pixels = tf.placeholder(TUint8.class, Placeholder.shape(Classifier.batchShape(lora.input())));
      var logits = Classifier.fromPixels(BuildContext.root(tf.withSubScope("plain"), params, Mode.INFER), plain, pixels)
          .logits();
      Map<String, Variable<?>> variables = new LinkedHashMap<>();
      for (Parameter p : params.all()) {
        variables.put(p.name(), p.variable());
      }
      new CheckpointIo(tf, variables).restore(session, run.resolve("checkpoints/best/model"));
      try (TUint8 images = Tensors.bytes(Shape.of(test.count(), 28, 28, 1), test.pixels());
          Result out = session.runner().feed(pixels, images).fetch(logits).run()) {
        return Tensors.toFloats(out.get(0));
      }
    }
  }
}

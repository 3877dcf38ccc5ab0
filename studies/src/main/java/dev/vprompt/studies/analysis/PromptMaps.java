package dev.vprompt.studies.analysis;

import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.prompts.msvp.Msvp;
import dev.vprompt.graph.prompts.Contribution;
import dev.vprompt.graph.prompts.Prompt;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import dev.vprompt.ops.layers.Resize;
import dev.vprompt.core.run.RunConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The learned MSVP prompt maps of a checkpoint ({@code prompt.msvp.global|mid|local}, NHWC {@code
 * [1,S,S,C]}), each also upsampled to the image as the model does, and, for the additive fusions, the
 * field the model adds to every normalised image. Only the prompt's variables are built and restored.
 *
 * @param scales coarsest first
 * @param field the {@code [H,W,C]} field added to the image (add and gated fusions), or null (concat)
 * @param gate {@code sigmoid(g)} per channel for the gated fusion, or null
 */
public record PromptMaps(String label, int height, int width, int channels, List<Scale> scales, float[] field,
    float[] gate) {

  /**
   * One prompt map.
   *
   * @param values {@code S*S*C} values, NHWC order
   * @param upsampled {@code H*W*C} values, bilinear with half-pixel centres as in the model
   */
  public record Scale(String name, int side, float[] values, float[] upsampled) {

    /** Channel c of the native map, {@code side*side} values, row-major. */
    public float[] channel(int c, int channels) {
      return channelOf(values, side * side, c, channels);
    }

    public float[] upsampledChannel(int c, int channels, int pixels) {
      return channelOf(upsampled, pixels, c, channels);
    }
  }

  static float[] channelOf(float[] nhwc, int pixels, int c, int channels) {
    float[] out = new float[pixels];
    for (int i = 0; i < pixels; i++) {
      out[i] = nhwc[i * channels + c];
    }
    return out;
  }

  /** Whether the run's prompt has maps to show (MSVP); the baseline has none. */
  public static boolean present(RunConfig config) {
    return config.prompt().create() instanceof Msvp;
  }

  /** Reads the maps of {@code checkpointDir} of a run whose prompt is MSVP. */
  public static PromptMaps read(RunConfig config, Path checkpointDir) {
    Prompt prompt = config.prompt().create();
    if (!(prompt instanceof Msvp msvp)) {
      throw new IllegalArgumentException("the run's prompt is '" + prompt.name() + "', which has no prompt maps");
    }
    InputSpec input = config.inputSpec();
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore params = new ParameterStore(tf, config.training().seed());
      BuildContext ctx = BuildContext.root(tf.withSubScope("prompt_maps"), params, Mode.INFER);
      Operand<TFloat32> zeros = tf.zeros(tf.constant(new long[] {1, input.height(), input.width(), input.channels()}),
          TFloat32.class);
      // the prompt built on a zero image: the additive fusions' field; it also creates the variables
      Contribution built = msvp.build(ctx.child("prompt"), zeros, null);
      Operand<TFloat32> field = built.additive() ? built.field() : built.images();
      List<Operand<TFloat32>> natives = new ArrayList<>();
      List<Operand<TFloat32>> upsampled = new ArrayList<>();
      for (Msvp.PromptMap map : msvp.maps()) {
        Operand<TFloat32> variable = params.get("prompt.msvp." + map.name()).variable();
        natives.add(variable);
        upsampled.add(Resize.bilinear(tf, variable, input.height(), input.width()));
      }
      Operand<TFloat32> gate = msvp.fusion() == Msvp.Fusion.GATED
          ? tf.math.sigmoid(params.get("prompt.msvp.gate").variable()) : null;
      try (RestoredSession restored = new RestoredSession(graph, tf, params, checkpointDir, 1)) {
        Session.Runner runner = restored.session().runner();
        natives.forEach(runner::fetch);
        upsampled.forEach(runner::fetch);
        runner.fetch(field);
        if (gate != null) {
          runner.fetch(gate);
        }
        try (Result result = runner.run()) {
          int n = natives.size();
          List<Scale> scales = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            Msvp.PromptMap map = msvp.maps().get(i);
            scales.add(new Scale(map.name(), map.side(), Tensors.toFloats(result.get(i)),
                Tensors.toFloats(result.get(n + i))));
          }
          float[] fieldValues = built.additive() ? Tensors.toFloats(result.get(2 * n)) : null;
          float[] gateValues = gate != null ? Tensors.toFloats(result.get(2 * n + 1)) : null;
          return new PromptMaps(config.prompt().label(), input.height(), input.width(), input.channels(), scales,
              fieldValues, gateValues);
        }
      }
    }
  }
}

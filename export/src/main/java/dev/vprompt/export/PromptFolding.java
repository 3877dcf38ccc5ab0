package dev.vprompt.export;

import dev.vprompt.graph.ModelSpec;
import dev.vprompt.graph.prompts.Contribution;
import dev.vprompt.graph.prompts.FoldedPrompt;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import dev.vprompt.core.checkpoint.CheckpointIo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Replaces an input-independent prompt ({@code apply(x) = x + F}) by the constant F it adds, computed
 * from the checkpoint's prompt variables. The serving graph then holds one constant instead of the
 * prompt's variables and resize ops, and does one addition per image.
 */
final class PromptFolding {

  private PromptFolding() {}

  /**
   * The spec with its prompt replaced by a {@link FoldedPrompt}, or {@code spec} itself when the prompt
   * depends on the image (or is none).
   *
   * @param checkpointPrefix {@code <checkpoint dir>/model}
   */
  static ModelSpec fold(ModelSpec spec, Path checkpointPrefix) {
    if (spec.prompt() instanceof FoldedPrompt) {
      return spec;
    }
    float[] field = field(spec, checkpointPrefix);
    if (field == null) {
      return spec;
    }
    for (float v : field) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException(checkpointPrefix + ": the prompt's field is not finite (" + v
            + "); the checkpoint holds a diverged prompt");
      }
    }
    // with a resize, the field lives at the backbone's resolution and is added after the resize
    FoldedPrompt folded = new FoldedPrompt(spec.prompt().name(), spec.backboneInput(), field);
    return spec.withPrompt(folded);
  }

  /**
   * The prompt's field F, {@code H * W * C} values, or null when its build says it is not additive; in a
   * scratch graph holding only the prompt's variables.
   */
  private static float[] field(ModelSpec spec, Path checkpointPrefix) {
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      ParameterStore params = new ParameterStore(tf, 0);
      BuildContext root = BuildContext.root(tf.withSubScope("fold"), params, Mode.INFER);
      Operand<TFloat32> zeros = tf.zeros(tf.constant(
          new long[] {1, spec.backboneInput().height(), spec.backboneInput().width(), spec.backboneInput().channels()}),
          TFloat32.class);
      Contribution prompt = spec.prompt().build(root.child("prompt"), zeros, spec.createBackbone());
      if (!prompt.additive() || prompt.hooksBlocks()) {
        return null;
      }
      Operand<TFloat32> field = prompt.field();
      Map<String, Variable<?>> variables = new LinkedHashMap<>();
      for (Parameter p : params.all()) {
        variables.put(p.name(), p.variable());
      }
      if (!variables.isEmpty()) {
        new CheckpointIo(tf, variables).restore(session, checkpointPrefix);
      }
      try (Result result = session.runner().fetch(field).run()) {
        return Tensors.toFloats(result.get(0));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the checkpoint " + checkpointPrefix + ": " + e.getMessage(), e);
    }
  }
}

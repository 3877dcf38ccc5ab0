package dev.vprompt.graph.prompts;

import dev.vprompt.graph.BlockHook;
import dev.vprompt.graph.Classifier;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.graph.backbones.PatchTokens;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The {@code C x H x W} maps a backbone's blocks receive, read from the activations its {@link
 * BlockHook} sees. The shapes come from building the backbone once in a scratch graph (no session), so
 * they cannot drift from the backbone code; each (input, backbone) is probed once per JVM.
 */
public final class BlockInputs {

  private static final Map<List<Object>, List<BlockInput>> PROBED = new ConcurrentHashMap<>();

  private BlockInputs() {}

  /** The input map of every block of {@code backbone} on images of {@code input}, block 0 first. */
  public static List<BlockInput> of(InputSpec input, Backbone backbone) {
    return PROBED.computeIfAbsent(List.of(input, backbone), key -> probe(input, backbone));
  }

  /**
   * How a deep prompt reads the activation {@code x} at the input of {@code block}: NHWC {@code [B, H, W,
   * C]} maps as they are; ViT tokens {@code [B, 1 + N, d]} as the N patch tokens on the patch grid.
   */
  public static BlockInput view(int block, Backbone backbone, Operand<TFloat32> x) {
    Shape shape = x.shape();
    if (!shape.isUnknown() && shape.numDimensions() == 4 && !hasUnknownMapDims(shape, 1, 3)) {
      return new BlockInput(block, (int) shape.get(3), (int) shape.get(1), (int) shape.get(2));
    }
    if (!shape.isUnknown() && shape.numDimensions() == 3 && backbone instanceof PatchTokens vit) {
      long tokens = shape.get(1);
      if (tokens != 1L + vit.patches() || shape.get(2) < 1) {
        throw new IllegalArgumentException("vit block " + block + " input " + shape + " is not [batch, 1 + "
            + vit.patches() + " tokens, d] (class token first)");
      }
      return new BlockInput(block, (int) shape.get(2), vit.gridHeight(), vit.gridWidth());
    }
    throw new IllegalArgumentException("deep prompts cannot read the input " + shape + " of block " + block
        + " of backbone " + backbone.name() + " as a channels x height x width map");
  }

  private static boolean hasUnknownMapDims(Shape shape, int from, int to) {
    for (int axis = from; axis <= to; axis++) {
      if (shape.get(axis) < 1) {
        return true;
      }
    }
    return false;
  }

  private static List<BlockInput> probe(InputSpec input, Backbone backbone) {
    List<BlockInput> seen = new ArrayList<>();
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> images =
          tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(input)));
      BuildContext ctx = BuildContext.root(tf, new ParameterStore(tf, 0), Mode.INFER).child("backbone");
      backbone.features(ctx, images, new BlockHook() {
        @Override
        public Operand<TFloat32> beforeBlock(int block, Operand<TFloat32> x) {
          seen.add(view(block, backbone, x));
          return x;
        }
      });
    }
    if (seen.size() != backbone.blockCount()) {
      throw new IllegalStateException(backbone.name() + " reported " + backbone.blockCount() + " blocks but its hook saw "
          + seen.size());
    }
    return List.copyOf(seen);
  }
}

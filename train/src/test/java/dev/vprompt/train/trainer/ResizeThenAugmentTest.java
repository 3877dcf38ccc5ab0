package dev.vprompt.train.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.core.data.DatasetSplits;
import dev.vprompt.core.data.LoadedData;
import dev.vprompt.graph.InputResize;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.graph.prompts.baselines.VpPad;
import dev.vprompt.ops.placement.SessionSpec;
import dev.vprompt.train.optim.DecayPolicy;
import dev.vprompt.train.optim.OptimizerConfig;
import dev.vprompt.train.optim.OptimizerKind;
import dev.vprompt.train.pipeline.Augmentation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * The training step's order, read off its graph: 28x28 pixels resized to 32, then augmented at 32 (the random
 * transform's output is 32x32 and its input the resize), then normalised (the normalisation reads the transform).
 */
class ResizeThenAugmentTest {

  @Test
  void theStepResizesThenAugmentsThenNormalises() {
    DatasetSplits data = LoadedData.load(null, List.of(0, 1), 2).splits();
    ModelSpec spec = new ModelSpec(new InputSpec(28, 28, 1), 2, "cnn", null, new VpPad(2), new float[] {0.3f},
        new float[] {0.4f}, new InputResize(32, InputResize.Interpolation.BILINEAR));
    OptimizerConfig adam = OptimizerConfig.of(OptimizerKind.ADAM, 0).withDecayPolicy(DecayPolicy.ALL);
    GraphDef graph = TrainingGraph.definition(spec, data, Augmentation.DIGITS, adam, 1, name -> false,
        SessionSpec.LOCAL).graph();
    Map<String, NodeDef> nodes = graph.getNodeList().stream().collect(Collectors.toMap(NodeDef::getName,
        Function.identity()));
    List<NodeDef> transforms = graph.getNodeList().stream()
        .filter(n -> n.getOp().equals("ImageProjectiveTransformV3")).toList();
    assertEquals(1, transforms.size(), "one augmentation in the training step");
    NodeDef transform = transforms.get(0);
    assertEquals("ResizeBilinear", input(nodes, transform, 0).getOp(), "augmented after the resize");
    ByteBuffer shape = input(nodes, transform, 2).getAttrOrThrow("value").getTensor().getTensorContent()
        .asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    assertArrayEquals(new int[] {32, 32}, new int[] {shape.getInt(0), shape.getInt(4)}, "at the backbone's size");
    boolean normalisedAfter = graph.getNodeList().stream()
        .filter(n -> n.getOp().equals("Sub"))
        .anyMatch(n -> n.getInput(0).split(":")[0].equals(transform.getName()));
    assertTrue(normalisedAfter, "the normalisation (x - mean) reads the augmented images");
  }

  private static NodeDef input(Map<String, NodeDef> nodes, NodeDef node, int index) {
    return nodes.get(node.getInput(index).split(":")[0]);
  }
}

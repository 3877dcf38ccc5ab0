package dev.vprompt.ops.placement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.vprompt.ops.Tensors;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TFloat32;

class SubgraphPlacementTest {

  @Test
  void placedCopyOfGradientsComputesTheSameValuesOnTheNamedDevice() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      var w = tf.withName("w").variable(tf.constant(new float[][] {{1f, -2f}, {0.5f, 3f}}));
      Ops tower = tf.withDevice(org.tensorflow.DeviceSpec.newBuilder().deviceType(
          org.tensorflow.DeviceSpec.DeviceType.CPU).deviceIndex(1).build()).withSubScope("tower1");
      var x = tower.constant(new float[][] {{1f, 2f}, {3f, 4f}, {5f, 6f}});
      var loss = tower.reduceSum(tower.math.square(tower.math.tanh(tower.linalg.matMul(x, w))),
          tower.constant(new int[] {0, 1}));
      Output<?>[] grads = graph.addGradients("tower1_gradients", new Output<?>[] {loss.asOutput()},
          new Output<?>[] {w.asOutput()}, null);
      assertTrue(((GraphOperation) grads[0].op()).device().isEmpty(), "addGradients leaves its ops unplaced");

      SubgraphPlacement.Copy copy = SubgraphPlacement.copyOnto(graph, n -> n.startsWith("tower1_gradients/"),
          "/device:CPU:1", "placed1");
      Output<?> placed = copy.of(grads[0]);
      assertEquals("/device:CPU:1", ((GraphOperation) placed.op()).device());
      var iterator = graph.operations();
      while (iterator.hasNext()) {
        GraphOperation op = iterator.next();
        if (op.name().startsWith("placed1/")) {
          assertEquals("/device:CPU:1", op.device(), op.name());
        }
      }

      ConfigProto config = ConfigProto.newBuilder().putDeviceCount("CPU", 2).build();
      try (Session session = new Session(graph, config)) {
        session.initialize();
        try (Result r = session.runner().fetch(grads[0]).fetch(placed).run()) {
          float[] original = Tensors.toFloats(r.get(0));
          float[] copied = Tensors.toFloats(r.get(1));
          assertEquals(4, original.length);
          assertArrayEquals(original, copied, 0f);
        }
      }
      assertThrows(IllegalArgumentException.class,
          () -> SubgraphPlacement.copyOnto(graph, n -> n.startsWith("tower1_gradients/"), "/device:CPU:1", "placed1"));
    }
  }

  /**
   * TensorFlow's gather gradient colocates a {@code Shape} with the gathered tensor ({@code _class:
   * loc:@...}), an op outside the copied set; ImportGraphDef refuses a colocation with an op it does not
   * import (the label map's gather on a kept head's logits failed so on towers). The copies follow the
   * colocation: the gathered tensor is here on CPU:0, the rest of the tower on CPU:1.
   */
  @Test
  void copiesGradientsColocatedWithAnOpOutsideTheSetOntoThatOpsDevice() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      var w = tf.withName("w").variable(tf.constant(new float[][] {{1f, -2f, 0.25f}, {0.5f, 3f, -1f}}));
      Ops tower = tf.withDevice(cpu(1)).withSubScope("tower1");
      var x = tower.constant(new float[][] {{1f, 2f}, {3f, 4f}, {5f, 6f}});
      var logits = tower.withDevice(cpu(0)).linalg.matMul(x, w);
      var picked = tower.gather(logits, tower.constant(new int[] {2, 0}), tower.constant(1));
      var loss = tower.reduceSum(tower.math.square(picked), tower.constant(new int[] {0, 1}));
      Output<?>[] grads = graph.addGradients("tower1_gradients", new Output<?>[] {loss.asOutput()},
          new Output<?>[] {w.asOutput()}, null);
      Set<String> colocated = new HashSet<>();
      for (NodeDef node : graph.toGraphDef().getNodeList()) {
        List<String> classes = node.getAttrOrDefault("_class", AttrValue.getDefaultInstance()).getList().getSList()
            .stream().map(ByteString::toStringUtf8).toList();
        if (node.getName().startsWith("tower1_gradients/") && classes.contains("loc:@" + logits.op().name())) {
          colocated.add(node.getName());
        }
      }
      assertFalse(colocated.isEmpty(), "the gather gradient is colocated with the gathered logits");

      SubgraphPlacement.Copy copy = SubgraphPlacement.copyOnto(graph, n -> n.startsWith("tower1_gradients/"),
          "/device:CPU:1", "placed1");
      Output<?> placed = copy.of(grads[0]);
      var iterator = graph.operations();
      while (iterator.hasNext()) {
        GraphOperation op = iterator.next();
        if (op.name().startsWith("placed1/")) {
          boolean withLogits = colocated.contains(op.name().substring("placed1/".length()));
          assertEquals(withLogits ? "/device:CPU:0" : "/device:CPU:1", op.device(), op.name());
        }
      }
      ConfigProto config = ConfigProto.newBuilder().putDeviceCount("CPU", 2).build();
      try (Session session = new Session(graph, config)) {
        session.initialize();
        try (Result r = session.runner().fetch(grads[0]).fetch(placed).run()) {
          float[] original = Tensors.toFloats(r.get(0));
          assertEquals(6, original.length);
          assertTrue(Math.abs(original[0]) > 0f, "a gradient through the gather");
          assertArrayEquals(original, Tensors.toFloats(r.get(1)), 0f);
        }
      }
    }
  }

  private static org.tensorflow.DeviceSpec cpu(int index) {
    return org.tensorflow.DeviceSpec.newBuilder().deviceType(org.tensorflow.DeviceSpec.DeviceType.CPU)
        .deviceIndex(index).build();
  }
}

package dev.vprompt.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vprompt.graph.prompts.msvp.Msvp;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Tensors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Runs only where TensorFlow lists a GPU (build with -Pgpu on a CUDA machine). */
@Tag("gpu")
@EnabledIf("dev.vprompt.ops.Devices#gpuAvailable")
class GpuParityTest {

  @Test
  void theClassifierComputesTheSameLogitsOnGpuAndCpu() {
    InputSpec in = new InputSpec(32, 32, 3);
    ModelSpec spec = ModelSpec.of(in, 10, "resnet18", null, Msvp.defaults());
    Shape shape = Shape.of(8, 32, 32, 3);
    float[] images = ModelHarness.randomImages(shape, 4);
    float[] cpu = logits(spec, DeviceSpec.DeviceType.CPU, shape, images);
    float[] gpu = logits(spec, DeviceSpec.DeviceType.GPU, shape, images);
    for (int i = 0; i < cpu.length; i++) {
      assertEquals(cpu[i], gpu[i], 1e-3f + 1e-3f * Math.abs(cpu[i]), "logit " + i);
    }
  }

  private static float[] logits(ModelSpec spec, DeviceSpec.DeviceType device, Shape shape, float[] images) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph).withDevice(DeviceSpec.newBuilder().deviceType(device).deviceIndex(0).build());
      ParameterStore params = new ParameterStore(tf, 5);
      var x = tf.placeholder(TFloat32.class, Placeholder.shape(Classifier.batchShape(spec.input())));
      var built = Classifier.fromScaled(BuildContext.root(tf, params, Mode.INFER), spec, x);
      try (Session session = new Session(graph); TFloat32 feed = Tensors.floats(shape, images)) {
        session.initialize();
        try (Result result = session.runner().feed(x, feed).fetch(built.logits()).run()) {
          return Tensors.toFloats(result.get(0));
        }
      }
    }
  }
}

package dev.vprompt.studies.analysis;

import dev.vprompt.graph.Classifier;
import dev.vprompt.graph.InputSpec;
import dev.vprompt.graph.ModelSpec;
import dev.vprompt.graph.backbones.Backbone;
import dev.vprompt.graph.backbones.VisionTransformer;
import dev.vprompt.ops.BuildContext;
import dev.vprompt.ops.Mode;
import dev.vprompt.ops.ParameterStore;
import dev.vprompt.ops.Shapes;
import dev.vprompt.ops.Tensors;
import dev.vprompt.ops.layers.Resize;
import dev.vprompt.core.data.ImageSet;
import dev.vprompt.core.run.RunConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * Grad-CAM (Selvaraju et al., 2017) of a run's checkpoint: the gradient of the predicted class's logit
 * with respect to the last block's activations A, averaged over space to one weight per channel, gives
 * {@code ReLU(sum_k w_k A_k)}, upsampled bilinearly to the image and scaled to [0, 1] per image. For
 * the ViT, A is the patch tokens entering the last block, laid out on the patch grid (the usual choice,
 * {@code blocks[-1].norm1} in pytorch-grad-cam): the last block's own patch outputs never reach the
 * class token, so their gradient is zero.
 */
public final class GradCam implements AutoCloseable {

  /**
   * @param heat {@code H*W} values in [0, 1], row-major; all zero when no location supports the class
   * @param gridHeight the activation grid the map was computed on (e.g. 3x3 for the cnn at 28x28)
   */
  public record Explanation(int predicted, float confidence, float[] heat, int gridHeight, int gridWidth) {}

  private final Graph graph = new Graph();
  private final RestoredSession restored;
  private final InputSpec input;
  private final Placeholder<TUint8> pixels;
  private final Operand<TInt32> predicted;
  private final Operand<TFloat32> probabilities;
  private final Operand<TFloat32> heat;
  private final int gridHeight;
  private final int gridWidth;

  public GradCam(RunConfig config, Path checkpointDir, int threads) {
    try {
      ModelSpec spec = config.modelSpec();
      input = spec.input();
      Backbone backbone = spec.createBackbone();
      Ops tf = Ops.create(graph);
      ParameterStore params = new ParameterStore(tf, config.training().seed());
      Ops scoped = tf.withSubScope("gradcam");
      pixels = scoped.placeholder(TUint8.class, Placeholder.shape(Classifier.batchShape(input)));
      Classifier.Built built = Classifier.fromPixels(BuildContext.root(scoped, params, Mode.INFER), spec, pixels, false);
      Operand<TFloat32> logits = built.logits();
      predicted = scoped.math.argMax(logits, scoped.constant(1), TInt32.class);
      probabilities = scoped.nn.softmax(logits);
      // the score of each image's own predicted class; one sum, as images do not interact at inference
      Operand<TFloat32> chosen = scoped.stopGradient(
          scoped.oneHot(predicted, scoped.constant(spec.classes()), scoped.constant(1f), scoped.constant(0f)));
      Operand<TFloat32> score = scoped.reduceSum(scoped.math.mul(logits, chosen), scoped.constant(new int[] {0, 1}));
      // the ViT's last block's input (before a deep prompt inserts tokens), else the last block's output
      // (after the prompt's hook dropped them)
      Operand<TFloat32> activations = backbone instanceof VisionTransformer
          ? built.backbone().lastBlockInput() : built.backbone().lastBlockOutput();
      Output<?>[] gradients = graph.addGradients(score.asOutput(), new Output<?>[] {activations.asOutput()});
      Operand<TFloat32> gradient = gradients[0].expect(TFloat32.class);
      if (backbone instanceof VisionTransformer vit) {
        gridHeight = vit.gridHeight();
        gridWidth = vit.gridWidth();
        activations = patchGrid(scoped, activations, vit);
        gradient = patchGrid(scoped, gradient, vit);
      } else {
        Shapes.requireRank(activations, 4, "Grad-CAM activations");
        gridHeight = Shapes.staticDim(activations, 1, "Grad-CAM activations");
        gridWidth = Shapes.staticDim(activations, 2, "Grad-CAM activations");
      }
      Operand<TFloat32> weights = scoped.math.mean(gradient, scoped.constant(new int[] {1, 2}), Mean.keepDims(true));
      Operand<TFloat32> cam = scoped.nn.relu(
          scoped.reduceSum(scoped.math.mul(activations, weights), scoped.constant(3), ReduceSum.keepDims(true)));
      heat = Resize.bilinear(scoped, cam, input.height(), input.width());
      restored = new RestoredSession(graph, tf, params, checkpointDir, threads);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** The ViT's tokens {@code [B, 1 + N, d]} without the class token, as {@code [B, gh, gw, d]}. */
  private static Operand<TFloat32> patchGrid(Ops tf, Operand<TFloat32> tokens, VisionTransformer vit) {
    Operand<TFloat32> patches = tf.stridedSlice(tokens, Indices.all(), Indices.sliceFrom(1), Indices.all());
    return tf.reshape(patches, tf.constant(new long[] {-1, vit.gridHeight(), vit.gridWidth(), vit.dim()}));
  }

  /** Explains the model's prediction for each of the given images of {@code images}. */
  public List<Explanation> explain(ImageSet images, int[] rows) {
    if (images.height() != input.height() || images.width() != input.width() || images.channels() != input.channels()) {
      throw new IllegalArgumentException("Grad-CAM: the images are " + images.shape() + " but the model takes " + input);
    }
    int size = images.imageSize();
    byte[] batch = new byte[rows.length * size];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(images.imageBytes(rows[i]), 0, batch, i * size, size);
    }
    int pixelsPerImage = input.height() * input.width();
    List<Explanation> out = new ArrayList<>();
    try (TUint8 feed = Tensors.bytes(Shape.of(rows.length, input.height(), input.width(), input.channels()), batch);
        Result result = restored.session().runner().feed(pixels, feed).fetch(predicted).fetch(probabilities)
            .fetch(heat).run()) {
      int[] classes = Tensors.toInts(result.get(0));
      float[] probs = Tensors.toFloats(result.get(1));
      float[] maps = Tensors.toFloats(result.get(2));
      int k = probs.length / rows.length;
      for (int i = 0; i < rows.length; i++) {
        float[] map = new float[pixelsPerImage];
        System.arraycopy(maps, i * pixelsPerImage, map, 0, pixelsPerImage);
        out.add(new Explanation(classes[i], probs[i * k + classes[i]], scaledToUnit(map), gridHeight, gridWidth));
      }
    }
    return out;
  }

  private static float[] scaledToUnit(float[] map) {
    float max = 0;
    for (float v : map) {
      max = Math.max(max, v);
    }
    if (max > 0) {
      for (int i = 0; i < map.length; i++) {
        map[i] = Math.max(0, map[i]) / max;
      }
    }
    return map;
  }

  @Override
  public void close() {
    restored.close();
    graph.close();
  }
}

package peers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.Arrays;

/** ViT-Tiny as vprompt builds it: d 192, depth 12, 3 heads, MLP 4x, dropout 0.1, pre-norm, class token. */
final class VitTiny {
  private VitTiny() {}

  static Block build(long h, long w, int patch) {
    int dim = 192;
    int tokens = (int) ((h / patch) * (w / patch));
    SequentialBlock net = new SequentialBlock();
    net.add(Conv2d.builder().setKernelShape(new Shape(patch, patch)).optStride(new Shape(patch, patch))
        .setFilters(dim).build());
    net.add(new Tokens(dim, tokens));
    net.add(Dropout.builder().optRate(0.1f).build());
    for (int i = 0; i < 12; i++) {
      net.add(residual(new SequentialBlock().add(LayerNorm.builder().axis(2).build()).add(new Attention(dim, 3))));
      net.add(residual(new SequentialBlock().add(LayerNorm.builder().axis(2).build())
          .add(Linear.builder().setUnits(4L * dim).build()).add(Activation.geluBlock())
          .add(Dropout.builder().optRate(0.1f).build())
          .add(Linear.builder().setUnits(dim).build()).add(Dropout.builder().optRate(0.1f).build())));
    }
    net.add(LayerNorm.builder().axis(2).build());
    net.add(LambdaBlock.singleton(x -> x.get(":, 0, :")));
    net.add(Linear.builder().setUnits(10).build());
    return net;
  }

  static long macs(long h, long w, int patch) {
    long dim = 192;
    long t = (h / patch) * (w / patch);
    long macs = t * patch * patch * dim; // patch embedding (1 channel)
    long n = t + 1;
    long perBlock = n * dim * 3 * dim + 2 * n * n * dim + n * dim * dim + 2 * n * dim * 4 * dim;
    return macs + 12 * perBlock + dim * 10;
  }

  static Block residual(Block branch) {
    return new ParallelBlock(l -> new NDList(l.get(0).singletonOrThrow().add(l.get(1).singletonOrThrow())),
        Arrays.asList(branch, Blocks.identityBlock()));
  }

  /** [B, d, h, w] -> [B, 1 + h*w, d]: class token first, plus position embeddings. */
  static final class Tokens extends AbstractBlock {
    private final int dim;
    private final int tokens;
    private final Parameter cls;
    private final Parameter pos;

    Tokens(int dim, int tokens) {
      this.dim = dim;
      this.tokens = tokens;
      cls = addParameter(Parameter.builder().setName("cls").setType(Parameter.Type.WEIGHT)
          .optShape(new Shape(1, 1, dim)).optInitializer(new NormalInitializer(0.02f)).build());
      pos = addParameter(Parameter.builder().setName("pos").setType(Parameter.Type.WEIGHT)
          .optShape(new Shape(1, tokens + 1, dim)).optInitializer(new NormalInitializer(0.02f)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
      NDArray x = inputs.singletonOrThrow();
      long b = x.getShape().get(0);
      NDArray seq = x.reshape(b, dim, tokens).transpose(0, 2, 1);
      NDArray c = ps.getValue(cls, x.getDevice(), training).broadcast(new Shape(b, 1, dim));
      return new NDList(NDArrays.concat(new NDList(c, seq), 1).add(ps.getValue(pos, x.getDevice(), training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
      return new Shape[] {new Shape(inputs[0].get(0), tokens + 1, dim)};
    }
  }

  static final class Attention extends AbstractBlock {
    private final int dim;
    private final int heads;
    private final Linear qkv;
    private final Linear proj;
    private final Dropout drop;

    Attention(int dim, int heads) {
      this.dim = dim;
      this.heads = heads;
      qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * dim).build());
      proj = addChildBlock("proj", Linear.builder().setUnits(dim).build());
      drop = addChildBlock("drop", Dropout.builder().optRate(0.1f).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
      NDArray x = inputs.singletonOrThrow();
      long b = x.getShape().get(0);
      long n = x.getShape().get(1);
      int dh = dim / heads;
      NDArray all = qkv.forward(ps, new NDList(x), training).singletonOrThrow()
          .reshape(b, n, 3, heads, dh).transpose(2, 0, 3, 1, 4);
      NDArray q = all.get(0);
      NDArray k = all.get(1);
      NDArray v = all.get(2);
      NDArray weights = q.matMul(k.transpose(0, 1, 3, 2)).mul(1f / (float) Math.sqrt(dh)).softmax(-1);
      NDArray context = weights.matMul(v).transpose(0, 2, 1, 3).reshape(b, n, dim);
      NDArray out = proj.forward(ps, new NDList(context), training).singletonOrThrow();
      return drop.forward(ps, new NDList(out), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
      qkv.initialize(manager, dataType, inputShapes[0]);
      proj.initialize(manager, dataType, inputShapes[0]);
      drop.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
      return new Shape[] {inputs[0]};
    }
  }
}

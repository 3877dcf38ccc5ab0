package peers;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * PyTorch-through-DJL peer benchmark (CPU). Prints one "RESULT ..." line (space separated key=value) per measurement.
 *
 * System properties:
 *   bench=all|train|infer|gemm      (all = gemm, train simple 32x32x3, infer simple, train simple 28x28x1, train resnet18 32x32x3)
 *   model=simple|resnet18  input=32x32x3|28x28x1  (for bench=train|infer)
 *   batch=128 warmup=5 steps=20     (train)
 *   lr=1e-3 wd=5e-4                 (AdamW, decoupled weight decay on all parameters, as DJL applies it)
 *   infer.batches=1,256 infer.iters.b1=200 infer.iters=20 (warm-up: 20 at batch 1, 5 otherwise)
 *   gemm.sizes=2048,4096 gemm.runs=10
 *   gemm.gflops=<float>             (optional: GEMM reference, adds pct_gemm=... to training/inference lines)
 *   verbose=true                    (print every timed value)
 *   ai.djl.pytorch.num_threads=2 ai.djl.pytorch.num_interop_threads=1 (read by DJL's PtEngine)
 */
public class DjlBench {
  static String prop(String k, String d) { return System.getProperty(k, d); }
  static int iprop(String k, int d) { return Integer.parseInt(prop(k, "" + d)); }

  static double gemmRef = Double.NaN;
  static String fw;

  public static void main(String[] args) throws Exception {
    Locale.setDefault(Locale.ROOT);
    String bench = prop("bench", "all");
    if (!prop("gemm.gflops", "").isEmpty()) gemmRef = Double.parseDouble(prop("gemm.gflops", ""));
    long t0 = System.nanoTime();
    Engine eng = Engine.getEngine("PyTorch");
    fw = "djl" + Engine.getDjlVersion() + "-pytorch" + eng.getVersion();
    System.out.printf("INFO engine=%s djl=%s torch=%s intra_threads=%d interop_threads=%d load_s=%.2f cpus=%d%n",
        eng.getEngineName(), Engine.getDjlVersion(), eng.getVersion(), JniUtils.getNumThreads(), JniUtils.getNumInteropThreads(),
        (System.nanoTime() - t0) / 1e9, Runtime.getRuntime().availableProcessors());
    switch (bench) {
      case "train":
        train(prop("model", "simple"), prop("input", "32x32x3"));
        break;
      case "infer":
        infer(prop("model", "simple"), prop("input", "32x32x3"));
        break;
      case "gemm":
        gemm();
        break;
      case "all":
        gemm();
        train("simple", "32x32x3");
        infer("simple", "32x32x3");
        train("simple", "28x28x1");
        train("resnet18", "32x32x3");
        break;
      default:
        throw new IllegalArgumentException("bench=" + bench);
    }
  }

  // ---------------------------------------------------------------- models

  static Conv2d conv(int filters, int k, int stride) {
    return Conv2d.builder().setKernelShape(new Shape(k, k)).optStride(new Shape(stride, stride))
        .optPadding(new Shape(k / 2, k / 2)).setFilters(filters).optBias(false).build();
  }

  static Block convBnRelu(int filters) {
    return new SequentialBlock().add(conv(filters, 3, 1)).add(BatchNorm.builder().build()).add(Activation.reluBlock());
  }

  /** 4 blocks [conv3x3-BN-ReLU]x2 (32,64,128,256), MaxPool 2x2 after blocks 1-3, GAP, dropout .5, FC 128, ReLU, dropout .3, FC 10. */
  static Block simpleCnn() {
    SequentialBlock net = new SequentialBlock();
    int[] widths = {32, 64, 128, 256};
    for (int i = 0; i < 4; i++) {
      net.add(convBnRelu(widths[i])).add(convBnRelu(widths[i]));
      if (i < 3) net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
    }
    net.add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock());
    net.add(Dropout.builder().optRate(0.5f).build());
    net.add(Linear.builder().setUnits(128).build()).add(Activation.reluBlock());
    net.add(Dropout.builder().optRate(0.3f).build());
    net.add(Linear.builder().setUnits(10).build());
    return net;
  }

  static Block basicBlock(int filters, int stride, boolean project) {
    SequentialBlock main = new SequentialBlock()
        .add(conv(filters, 3, stride)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
        .add(conv(filters, 3, 1)).add(BatchNorm.builder().build());
    Block shortcut = project
        ? new SequentialBlock().add(conv(filters, 1, stride)).add(BatchNorm.builder().build())
        : Blocks.identityBlock();
    ParallelBlock res = new ParallelBlock(
        l -> new NDList(l.get(0).singletonOrThrow().add(l.get(1).singletonOrThrow())), Arrays.asList(main, shortcut));
    return new SequentialBlock().add(res).add(Activation.reluBlock());
  }

  /** CIFAR ResNet-18: 3x3/1 stem (64) + BN + ReLU, no maxpool, 4 stages x 2 BasicBlocks (64,128,256,512), GAP, FC 10. */
  static Block resnet18() {
    SequentialBlock net = new SequentialBlock().add(convBnRelu(64));
    int cin = 64;
    int[] widths = {64, 128, 256, 512};
    for (int s = 0; s < 4; s++) {
      for (int b = 0; b < 2; b++) {
        int stride = (s > 0 && b == 0) ? 2 : 1;
        net.add(basicBlock(widths[s], stride, stride != 1 || cin != widths[s]));
        cin = widths[s];
      }
    }
    net.add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(10).build());
    return net;
  }

  static Block build(String model) {
    if (model.equals("vit-tiny")) {
      long[] d = hwc(prop("input", "28x28x1"));
      return VitTiny.build(d[0], d[1], d[0] == 28 ? 7 : 4);
    }
    return model.equals("resnet18") ? resnet18() : simpleCnn();
  }

  static long[] hwc(String input) {
    String[] p = input.split("x");
    return new long[] {Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2])};
  }

  static long paramCount(Block b) {
    long n = 0;
    for (Pair<String, Parameter> p : b.getParameters()) {
      if (p.getValue().requiresGradient()) n += p.getValue().getArray().getShape().size();
    }
    return n;
  }

  // ---------------------------------------------------------------- training

  static void train(String model, String input) {
    long[] d = hwc(input);
    int batch = iprop("batch", 128);
    int warmup = iprop("warmup", 5);
    int steps = iprop("steps", 20);
    float lr = Float.parseFloat(prop("lr", "1e-3")), wd = Float.parseFloat(prop("wd", "5e-4"));
    Shape xShape = new Shape(batch, d[2], d[0], d[1]); // NCHW
    Random rnd = new Random(0);
    float[] img = new float[(int) xShape.size()];
    for (int i = 0; i < img.length; i++) img[i] = (float) rnd.nextGaussian();
    float[] lab = new float[batch];
    for (int i = 0; i < batch; i++) lab[i] = rnd.nextInt(10);

    try (Model m = Model.newInstance(model, Device.cpu(), "PyTorch")) {
      m.setBlock(build(model));
      Optimizer opt = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(lr)).optWeightDecays(wd).build();
      DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
          .optOptimizer(opt).optDevices(new Device[] {Device.cpu()});
      try (Trainer trainer = m.newTrainer(cfg)) {
        trainer.initialize(xShape);
        long params = paramCount(m.getBlock());
        List<Double> times = new ArrayList<>();
        StringBuilder losses = new StringBuilder();
        for (int step = 0; step < warmup + steps; step++) {
          long ts = System.nanoTime();
          float loss;
          try (NDManager sm = trainer.getManager().newSubManager()) {
            NDArray x = sm.create(FloatBuffer.wrap(img), xShape);
            NDArray y = sm.create(lab, new Shape(batch));
            try (GradientCollector gc = trainer.newGradientCollector()) {
              NDList pred = trainer.forward(new NDList(x));
              NDArray l = trainer.getLoss().evaluate(new NDList(y), pred);
              gc.backward(l);
              loss = l.getFloat();
            }
            trainer.step();
          }
          double dt = (System.nanoTime() - ts) / 1e6;
          if (step >= warmup) times.add(dt);
          losses.append(String.format("%.3f ", loss));
        }
        System.out.printf("INFO model=%s input=%s params=%d losses=[%s]%n", model, input, params, losses.toString().trim());
        report("train", model, input, batch, warmup, times, 6.0 * Flops.fwdMacs(model, d[0], d[1], d[2]), "opt=adamw lr=" + lr + " wd=" + wd);
      }
    }
  }

  // ---------------------------------------------------------------- inference

  static void infer(String model, String input) {
    long[] d = hwc(input);
    Block block = build(model);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      block.initialize(manager, DataType.FLOAT32, new Shape(1, d[2], d[0], d[1]));
      ParameterStore ps = new ParameterStore(manager, false);
      Random rnd = new Random(1);
      for (String bs : prop("infer.batches", "1,256").split(",")) {
        int batch = Integer.parseInt(bs.trim());
        int iters = batch == 1 ? iprop("infer.iters.b1", 200) : iprop("infer.iters", 20);
        int warm = batch == 1 ? 20 : 5;
        Shape xs = new Shape(batch, d[2], d[0], d[1]);
        float[] img = new float[(int) xs.size()];
        for (int i = 0; i < img.length; i++) img[i] = (float) rnd.nextGaussian();
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < warm + iters; i++) {
          long ts = System.nanoTime();
          try (NDManager sm = manager.newSubManager()) {
            NDArray x = sm.create(FloatBuffer.wrap(img), xs);
            NDArray out = block.forward(ps, new NDList(x), false).singletonOrThrow();
            out.toFloatArray(); // copy logits back to Java
          }
          double dt = (System.nanoTime() - ts) / 1e6;
          if (i >= warm) times.add(dt);
        }
        report("infer", model, input, batch, warm, times, 2.0 * Flops.fwdMacs(model, d[0], d[1], d[2]), "mode=eval");
      }
    }
  }

  // ---------------------------------------------------------------- GEMM

  /**
   * n x n x n float32 GEMM two ways: (1) NDArray.matMul -> torch.matmul (MKL sgemm in the PyTorch CPU build),
   * (2) the same product as a 1x1 convolution (input [1,n,n,1], weight [n,n,1,1]) -> oneDNN convolution.
   */
  static void gemm() {
    int runs = iprop("gemm.runs", 10);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      for (String s : prop("gemm.sizes", "2048,4096").split(",")) {
        int n = Integer.parseInt(s.trim());
        NDArray a = manager.randomUniform(-1f, 1f, new Shape(n, n));
        NDArray b = manager.randomUniform(-1f, 1f, new Shape(n, n));
        NDArray x4 = a.transpose().reshape(1, n, n, 1).duplicate(); // [N=1, C=K, H=M, W=1]
        NDArray w4 = b.transpose().reshape(n, n, 1, 1).duplicate(); // [Cout=N, Cin=K, 1, 1]
        for (String how : new String[] {"matmul", "conv1x1"}) {
          List<Double> times = new ArrayList<>();
          int warm = 3;
          for (int i = 0; i < warm + runs; i++) {
            long ts = System.nanoTime();
            try (NDArray c = how.equals("matmul") ? a.matMul(b) : Conv2d.conv2d(x4, w4).singletonOrThrow()) {
              c.getFloat(new long[c.getShape().dimension()]); // read one element back (CPU ops are synchronous anyway)
            }
            double dt = (System.nanoTime() - ts) / 1e6;
            if (i >= warm) times.add(dt);
          }
          double med = median(times);
          double flop = 2.0 * n * n * n;
          System.out.printf("RESULT framework=%s task=gemm op=%s n=%d dtype=float32 warmup=%d runs=%d median_ms=%.2f min_ms=%.2f gflops=%.1f best_gflops=%.1f threads=%d%n",
              fw, how, n, warm, runs, med, min(times), flop / (med * 1e-3) / 1e9, flop / (min(times) * 1e-3) / 1e9, JniUtils.getNumThreads());
        }
        a.close();
        b.close();
        x4.close();
        w4.close();
      }
    }
  }

  // ---------------------------------------------------------------- stats

  static double median(List<Double> v) {
    double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = a.length;
    return n % 2 == 1 ? a[n / 2] : 0.5 * (a[n / 2 - 1] + a[n / 2]);
  }

  static double min(List<Double> v) { return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN); }

  static double mean(List<Double> v) { return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN); }

  static double max(List<Double> v) { return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN); }

  static void report(String task, String model, String input, int batch, int warm, List<Double> times, double flopPerImage, String extra) {
    double med = median(times);
    if (Boolean.getBoolean("verbose")) {
      StringBuilder sb = new StringBuilder();
      for (double t : times) sb.append(String.format("%.1f ", t));
      System.out.printf("INFO task=%s model=%s input=%s batch=%d times_ms=[%s]%n", task, model, input, batch, sb.toString().trim());
    }
    double ips = batch / (med * 1e-3);
    double gflops = ips * flopPerImage / 1e9;
    String pct = Double.isNaN(gemmRef) ? "" : String.format(" pct_gemm=%.1f", 100 * gflops / gemmRef);
    System.out.printf("RESULT framework=%s task=%s model=%s input=%s batch=%d warmup=%d timed=%d median_ms=%.2f mean_ms=%.2f min_ms=%.2f max_ms=%.2f images_per_s=%.1f gflop_per_image=%.4f gflops=%.1f%s threads=%d %s%n",
        fw, task, model, input, batch, warm, times.size(), med, mean(times), min(times), max(times), ips, flopPerImage / 1e9, gflops, pct,
        JniUtils.getNumThreads(), extra);
  }
}

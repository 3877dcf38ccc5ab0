package peers;

/**
 * Analytic multiply-accumulate (MAC) counts per image for the benchmarked models.
 * Only convolutions and fully-connected layers are counted (BN, ReLU, pooling, loss, optimizer are ignored).
 * FLOPs = 2 * MACs. Training step = 3 x forward (forward + grad wrt inputs + grad wrt weights).
 * Identical copy lives in djl-torch and tf-step (keep them in sync).
 */
public final class Flops {
  private Flops() {}

  /** MACs of a KxK conv with "same" padding, output spatial size outH x outW. */
  static long conv(long outH, long outW, long k, long cin, long cout) {
    return outH * outW * k * k * cin * cout;
  }

  /** 'simple CNN': 4 blocks [conv3x3-BN-ReLU]x2 (32,64,128,256), maxpool2 after blocks 1-3, GAP, FC 256-128-10. */
  public static long simpleCnnMacs(long h, long w, long c) {
    long macs = 0, cin = c;
    long[] widths = {32, 64, 128, 256};
    for (int b = 0; b < 4; b++) {
      long cout = widths[b];
      macs += conv(h, w, 3, cin, cout);
      macs += conv(h, w, 3, cout, cout);
      cin = cout;
      if (b < 3) { h = h / 2; w = w / 2; } // 2x2 / stride 2, VALID (floor)
    }
    macs += 256L * 128 + 128L * 10;
    return macs;
  }

  /** CIFAR ResNet-18: 3x3/1 stem 64, no maxpool, BasicBlock stages [2,2,2,2] widths 64..512, 1x1 projection shortcuts, GAP, FC 10. */
  public static long resnet18Macs(long h, long w, long c) {
    long macs = conv(h, w, 3, c, 64);
    long cin = 64;
    long[] widths = {64, 128, 256, 512};
    for (int s = 0; s < 4; s++) {
      for (int b = 0; b < 2; b++) {
        long stride = (s > 0 && b == 0) ? 2 : 1;
        long cout = widths[s];
        long oh = (h + stride - 1) / stride, ow = (w + stride - 1) / stride;
        macs += conv(oh, ow, 3, cin, cout);
        macs += conv(oh, ow, 3, cout, cout);
        if (stride != 1 || cin != cout) macs += conv(oh, ow, 1, cin, cout);
        h = oh; w = ow; cin = cout;
      }
    }
    macs += 512L * 10;
    return macs;
  }

  public static long fwdMacs(String model, long h, long w, long c) {
    if (model.equals("vit-tiny")) return VitTiny.macs(h, w, h == 28 ? 7 : 4);
    return model.equals("resnet18") ? resnet18Macs(h, w, c) : simpleCnnMacs(h, w, c);
  }

  public static void main(String[] a) {
    System.out.printf("FLOPS model=simple input=32x32x3 fwd_gflop_per_image=%.4f train_gflop_per_image=%.4f%n",
        2e-9 * simpleCnnMacs(32, 32, 3), 6e-9 * simpleCnnMacs(32, 32, 3));
    System.out.printf("FLOPS model=simple input=28x28x1 fwd_gflop_per_image=%.4f train_gflop_per_image=%.4f%n",
        2e-9 * simpleCnnMacs(28, 28, 1), 6e-9 * simpleCnnMacs(28, 28, 1));
    System.out.printf("FLOPS model=resnet18 input=32x32x3 fwd_gflop_per_image=%.4f train_gflop_per_image=%.4f%n",
        2e-9 * resnet18Macs(32, 32, 3), 6e-9 * resnet18Macs(32, 32, 3));
  }
}

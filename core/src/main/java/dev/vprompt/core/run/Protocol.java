package dev.vprompt.core.run;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A paper's training protocol: optimizer, learning rate, schedule, warm-up, weight decay, batch size,
 * epochs and augmentation, set at once by {@code vprompt train --protocol NAME}. Each value can still be
 * overridden by its own flag; the values taken are written to config.json.
 *
 * <p>Which weights decay is not part of a protocol: every paper's code hands its tunable parameters to a
 * PyTorch optimizer with one {@code weight_decay} (so prompts decay too), but in transfer vprompt excludes
 * the prompt's parameters by default ({@code except-prompt}, see {@code DecayPolicy}), because a
 * factorised prompt with a zero-initialised factor would otherwise be pulled to zero; {@code --decay all}
 * is the papers' choice.
 *
 * @param warmupFraction linear warm-up over this fraction of the run's steps (InsVP: 20 of 100 epochs)
 * @param source where the values come from, for {@code --help} and the docs
 */
public record Protocol(
    String name,
    String optimizer,
    double learningRate,
    String schedule,
    double warmupFraction,
    double weightDecay,
    int batchSize,
    int epochs,
    String augment,
    String source) {

  /**
   * MSVP (Khazem, "Multi-Scale Visual Prompting for Lightweight Small-Image Classification", §IV-D, and
   * its reference code salimkhazem/msvp): Adam (0.9, 0.999) lr 1e-3, coupled L2 1e-4, cosine annealing
   * stepped per epoch, batch 128, 10 epochs (MNIST, Fashion-MNIST), the dataset's augmentation.
   */
  public static final Protocol MSVP = new Protocol("msvp", "adam", 1e-3, "cosine", 0, 1e-4, 128, 10, "auto",
      "MSVP paper §IV-D and salimkhazem/msvp: adam lr 1e-3, coupled L2 1e-4, cosine per epoch, batch 128, "
          + "10 epochs, crop + rotation (grey) or crop + flip (colour)");

  /**
    * LoR-VP (Jin et al., "LoR-VP: Low-rank visual prompting for efficient vision model adaptation", ICLR
   * 2025, arXiv:2502.00896), its released {@code run/run_lorvp.sh} with {@code
   * trainer/image_classification_ddp.py} (jincan333/LoR-VP): SGD momentum 0.9, lr 0.02, weight decay
   * 1e-4 (coupled, {@code torch.optim.SGD}), {@code WarmupCosineSchedule} stepped per step with {@code
   * warmup_ratio} 0, batch 256, 20 epochs, {@code randomcrop=0}: resize only, no augmentation.
   */
  public static final Protocol LOR_VP = new Protocol("lor-vp", "sgd", 0.02, "cosine-step", 0, 1e-4, 256, 20,
      "none", "LoR-VP's run/run_lorvp.sh (jincan333/LoR-VP): sgd momentum 0.9, lr 0.02, weight decay 1e-4, "
          + "cosine per step without warm-up, batch 256, 20 epochs, randomcrop=0 (no augmentation)");

  /** LoTeP ("Going Deep: Deep Visual Prompting with LoTeP", §5): "we follow the setup in LoR-VP". */
  public static final Protocol LOTEP = new Protocol("lotep", LOR_VP.optimizer, LOR_VP.learningRate,
      LOR_VP.schedule, LOR_VP.warmupFraction, LOR_VP.weightDecay, LOR_VP.batchSize, LOR_VP.epochs, LOR_VP.augment,
      "LoTeP §5 follows LoR-VP's setup: the lor-vp values");

  /**
   * InsVP (instance visual prompting, ACM MM 2024; zhoujiahuan1991/MM2024-InsVP), its
   * released {@code sh/cifar10.sh} and {@code utils/args.py} (zhoujiahuan1991/MM2024-InsVP): AdamW lr
   * 0.002, weight decay 0.001, cosine with 20 warm-up epochs of 100 ({@code utils/train_utils.py
   * cosine_lr}, per step), batch 64; the "default" transform (resize, random crop, horizontal flip) and,
   * per batch, timm's Mixup (mixup 0.8, cutmix 1.0, prob 0.5, switch 0.5, label smoothing 0.1) with a
   * soft-target cross-entropy ({@code train/trainer.py}).
   */
  public static final Protocol INSVP = new Protocol("insvp", "adamw", 2e-3, "cosine-step", 0.2, 1e-3, 64, 100,
      "natural+mix", "InsVP's sh/cifar10.sh (zhoujiahuan1991/MM2024-InsVP): adamw lr 0.002, weight decay 0.001, "
          + "cosine per step after a warm-up of 20% of the run (20 of 100 epochs), batch 64, 100 epochs, random "
          + "crop + horizontal flip, and its train/trainer.py's timm Mixup (mixup 0.8, cutmix 1.0, prob 0.5, "
          + "switch 0.5, label smoothing 0.1)");

  /**
   * Linear probing as the LoR-VP and LoTeP papers run their baselines: LoR-VP's script values. (As
   * released, LoR-VP's trainer compares {@code 'LoR_VP'} with the only allowed value {@code 'lor_vp'}, so
   * that script in fact trains a linear probe.)
   */
  public static final Protocol LINEAR_PROBE = new Protocol("linear-probe", LOR_VP.optimizer, LOR_VP.learningRate,
      LOR_VP.schedule, LOR_VP.warmupFraction, LOR_VP.weightDecay, LOR_VP.batchSize, LOR_VP.epochs, LOR_VP.augment,
      "the baseline of LoR-VP and LoTeP: the lor-vp values (LoR-VP's released script, as released, trains a "
          + "linear probe)");

  private static final Protocol[] ALL = {MSVP, LOR_VP, LOTEP, INSVP, LINEAR_PROBE};

  /** The names {@link #parse} accepts. */
  public static final String NAMES = Arrays.stream(ALL).map(Protocol::name).collect(Collectors.joining(", "));

  public Protocol {
    if (!(warmupFraction >= 0 && warmupFraction < 1)) {
      throw new IllegalArgumentException("warm-up fraction must be in [0, 1), got " + warmupFraction);
    }
  }

  /** The protocol of this name (case and surrounding blanks ignored). */
  public static Protocol parse(String name) {
    String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (Protocol p : ALL) {
      if (p.name.equals(wanted)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown --protocol '" + name + "'; choose one of: " + NAMES);
  }

  /** Warm-up steps for a run of this many steps: the fraction, rounded. */
  public int warmupSteps(long totalSteps) {
    return (int) Math.round(warmupFraction * totalSteps);
  }

  /** One line per protocol, for {@code --help}. */
  public static String describeAll() {
    return Arrays.stream(ALL).map(p -> p.name + ": " + p.source).collect(Collectors.joining("; "));
  }
}

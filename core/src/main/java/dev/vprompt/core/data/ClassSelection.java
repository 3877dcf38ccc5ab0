package dev.vprompt.core.data;

import dev.vprompt.graph.InvalidOptionException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Keeps some classes of a dataset and renumbers them 0..k-1 in the order given: how a transfer
 * experiment pretrains on Fashion-MNIST classes 0-4 and adapts to 5-9.
 */
public final class ClassSelection {
  private ClassSelection() {}

  /** Parses {@code 5-9}, {@code 0,2,4} or a mix such as {@code 0-2,7}. */
  public static int[] parse(String text) {
    List<Integer> classes = new ArrayList<>();
    for (String part : text.split(",")) {
      String item = part.trim();
      try {
        int dash = item.indexOf('-');
        if (dash > 0) {
          int from = Integer.parseInt(item.substring(0, dash).trim());
          int to = Integer.parseInt(item.substring(dash + 1).trim());
          if (to < from) {
            throw new InvalidOptionException("data-classes", "--data-classes: empty range '" + item + "'");
          }
          for (int c = from; c <= to; c++) {
            classes.add(c);
          }
        } else {
          classes.add(Integer.parseInt(item));
        }
      } catch (NumberFormatException e) {
        throw new InvalidOptionException("data-classes", "--data-classes: '" + item + "' is not a class number or range such as 5-9");
      }
    }
    int[] result = classes.stream().mapToInt(Integer::intValue).toArray();
    if (result.length < 2 || Arrays.stream(result).distinct().count() != result.length) {
      throw new InvalidOptionException("data-classes", "--data-classes needs at least two distinct classes, got '" + text + "'");
    }
    return result;
  }

  public static DatasetSplits select(DatasetSplits splits, int[] classes) {
    for (int c : classes) {
      if (c < 0 || c >= splits.numClasses()) {
        throw new InvalidOptionException("data-classes", "--data-classes: class " + c + " does not exist in " + splits.name()
            + " (classes 0-" + (splits.numClasses() - 1) + ")");
      }
    }
    List<String> names = Arrays.stream(classes).mapToObj(c -> splits.classNames().get(c)).toList();
    String name = splits.name() + "[" + describe(classes) + "]";
    return new DatasetSplits(name, select(splits.train(), classes, names), select(splits.test(), classes, names));
  }

  private static ImageSet select(ImageSet set, int[] classes, List<String> names) {
    int[] newLabel = new int[set.numClasses()];
    Arrays.fill(newLabel, -1);
    for (int i = 0; i < classes.length; i++) {
      newLabel[classes[i]] = i;
    }
    int[] rows = java.util.stream.IntStream.range(0, set.count()).filter(i -> newLabel[set.label(i)] >= 0).toArray();
    ImageSet kept = set.subset(rows);
    int[] labels = Arrays.stream(kept.labels()).map(l -> newLabel[l]).toArray();
    return new ImageSet(kept.pixels(), labels, kept.height(), kept.width(), kept.channels(), names);
  }

  /**
   * Keeps the first {@code perClass} training images of each class, in file order (few-shot
   * adaptation); the test split stays whole.
   */
  public static DatasetSplits limitTraining(DatasetSplits splits, int perClass) {
    if (perClass < 1) {
      throw new InvalidOptionException("train-per-class", "--train-per-class must be at least 1, got " + perClass);
    }
    ImageSet train = splits.train();
    int[] kept = new int[train.numClasses()];
    int[] rows = java.util.stream.IntStream.range(0, train.count())
        .filter(i -> kept[train.label(i)]++ < perClass).toArray();
    return new DatasetSplits(splits.name() + "[" + perClass + "/class]", train.subset(rows), splits.test());
  }

  /** {@code 5-9} for a contiguous ascending run, else the list. */
  public static String describe(int[] classes) {
    boolean contiguous = true;
    for (int i = 1; i < classes.length; i++) {
      contiguous &= classes[i] == classes[i - 1] + 1;
    }
    return contiguous ? classes[0] + "-" + classes[classes.length - 1]
        : String.join(",", Arrays.stream(classes).mapToObj(String::valueOf).toList());
  }
}

package dev.vprompt.core.data;

import java.util.List;
import java.util.Objects;

/** A named dataset: its train and test split, which share one class list and image shape. */
public record DatasetSplits(String name, ImageSet train, ImageSet test) {

  public DatasetSplits {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
    if (!train.classNames().equals(test.classNames())) {
      throw new IllegalArgumentException(name + ": train and test have different class lists");
    }
    if (!train.shape().equals(test.shape())) {
      throw new IllegalArgumentException(name + ": train images are " + train.shape()
          + " but test images are " + test.shape());
    }
  }

  public List<String> classNames() {
    return train.classNames();
  }

  public int numClasses() {
    return train.numClasses();
  }
}

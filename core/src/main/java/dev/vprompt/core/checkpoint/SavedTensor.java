package dev.vprompt.core.checkpoint;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

/** One tensor listed in a checkpoint's index: its name, element type and shape. */
public record SavedTensor(String name, DataType dtype, Shape shape) {}

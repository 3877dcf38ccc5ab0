/**
 * The dataset layer: reading image classification datasets into uint8 NHWC {@link
 * dev.vprompt.train.data.ImageSet}s, without TensorFlow.
 *
 * <p>Entry points: {@link dev.vprompt.train.data.DataSpec#parse} and {@link
 * dev.vprompt.train.data.DatasetLoader#load} for {@code KIND:DIR} arguments, {@link
 * dev.vprompt.train.data.DatasetLoader#embeddedDefault} for the committed Fashion-MNIST subset,
 * {@link dev.vprompt.train.data.DatasetStats} for summaries and normalisation constants, and
 * {@link dev.vprompt.train.data.DatasetDownloader} for fetching the public datasets. Every
 * problem with input data surfaces as an {@link dev.vprompt.train.data.InvalidDataException}
 * (an IllegalArgumentException) whose message starts with the offending file.
 */
package dev.vprompt.train.data;

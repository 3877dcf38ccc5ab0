/**
 * The dataset layer: reading image classification datasets into uint8 NHWC {@link
 * dev.vprompt.core.data.ImageSet}s, without TensorFlow.
 *
 * <p>Entry points: {@link dev.vprompt.core.data.DataSpec#parse} and {@link
 * dev.vprompt.core.data.DatasetLoader#load} for {@code KIND:DIR} arguments, {@link
 * dev.vprompt.core.data.DatasetLoader#embeddedDefault} for the committed Fashion-MNIST subset,
 * {@link dev.vprompt.core.data.DatasetStats} for summaries and normalisation constants, and
 * {@link dev.vprompt.core.data.DatasetDownloader} for fetching the public datasets. Every
 * problem with input data surfaces as an {@link dev.vprompt.core.data.InvalidDataException}
 * (an IllegalArgumentException) whose message starts with the offending file.
 */
package dev.vprompt.core.data;

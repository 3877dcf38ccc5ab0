package dev.vprompt.train.imports;

import java.nio.file.Path;
import java.util.Map;

/**
 * What {@code vprompt import} is asked for.
 *
 * @param arch a variant ({@code vit-b16}, {@code resnet50-in}, ...) or a family ({@code vit}, {@code resnet})
 * @param archConfig for a family: a JSON file with {@code timm_class} and {@code timm_kwargs}, or null to read
 *     them from the weights file's metadata
 * @param input the model's input as {@code HxWxC}, or null for the checkpoint's own
 * @param classNames a file of class names (one per line), or null for {@code 0 .. K-1}
 * @param mean the source's per-channel mean of pixels in [0, 1], or null for the family's timm default
 * @param std the same for the standard deviation
 * @param versions library versions recorded in config.json
 */
public record ImportRequest(String arch, Path weights, Path archConfig, Path out, String input, Path classNames,
    float[] mean, float[] std, Map<String, String> versions) {}

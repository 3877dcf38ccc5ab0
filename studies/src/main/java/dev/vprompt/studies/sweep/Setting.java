package dev.vprompt.studies.sweep;

/**
 * One train option's value as a sweep sets it.
 *
 * @param option the train command's long option name without dashes ({@code batch-size})
 * @param key the key as written in the sweep file ({@code batch_size}), for error messages
 * @param value the value as text; for a flag {@code true} or {@code false}
 * @param origin where it was written
 */
public record Setting(String option, String key, String value, Origin origin) {}

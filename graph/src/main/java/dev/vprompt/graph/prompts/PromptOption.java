package dev.vprompt.graph.prompts;

import java.util.List;

/**
 * One command-line option of a prompt family, declared by the family so that {@code vprompt train}, the
 * commands that build a model and sweep files all take the same options without naming the family.
 *
 * @param name the long name without dashes, e.g. {@code msvp-scales}; also the sweep file's key
 * @param paramLabel the value's placeholder in {@code --help}
 * @param type {@code String}, {@code Integer}, {@code Double}, {@code Float} or {@code List} (of strings,
 *     comma-separated on the command line)
 * @param defaultValue the default as text, or null for none (the value is then null)
 * @param description the {@code --help} text; {@code ${DEFAULT-VALUE}} is replaced by the default
 */
public record PromptOption(String name, String paramLabel, Class<?> type, String defaultValue, String description) {

  public static final List<Class<?>> TYPES = List.of(String.class, Integer.class, Double.class, Float.class, List.class);

  public PromptOption {
    if (!TYPES.contains(type)) {
      throw new IllegalArgumentException("option --" + name + ": unsupported type " + type.getSimpleName());
    }
  }

  /** The option's values as one family reads them, by {@link #name}. */
  public interface Values {
    /** The value of the option, of its declared type, or null when it has no default and was not given. */
    Object get(String name);

    default String string(String name) {
      return (String) get(name);
    }

    default int integer(String name) {
      return (Integer) get(name);
    }

    default Integer optionalInteger(String name) {
      return (Integer) get(name);
    }

    default double decimal(String name) {
      return (Double) get(name);
    }

    default float single(String name) {
      return (Float) get(name);
    }

    @SuppressWarnings("unchecked")
    default List<String> list(String name) {
      return (List<String>) get(name);
    }
  }
}

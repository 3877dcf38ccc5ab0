package dev.vprompt.cli;

import dev.vprompt.graph.prompts.PromptFamily;
import dev.vprompt.graph.prompts.PromptOption;
import dev.vprompt.graph.prompts.Prompts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The prompt families' options ({@link PromptFamily#options}) as picocli options of a command, so a new
 * family's options appear in every command that builds a model without touching the CLI.
 */
final class PromptOptions implements PromptOption.Values {

  private final Map<String, OptionSpec> options = new LinkedHashMap<>();
  private final Map<String, PromptOption> declared = new LinkedHashMap<>();

  /**
   * Adds every family's options to {@code command}.
   *
   * @param heading the help section they are listed under, or null to list them with the other options
   */
  static PromptOptions addTo(CommandSpec command, String heading) {
    PromptOptions added = new PromptOptions();
    List<OptionSpec> specs = new ArrayList<>();
    for (PromptFamily<?> family : Prompts.FAMILIES) {
      for (PromptOption option : family.options()) {
        OptionSpec spec = toSpec(option);
        added.options.put(option.name(), spec);
        added.declared.put(option.name(), option);
        specs.add(spec);
      }
    }
    if (heading == null) {
      specs.forEach(command::addOption);
    } else {
      ArgGroupSpec.Builder group = ArgGroupSpec.builder().heading(heading).validate(false).exclusive(false).order(4);
      specs.forEach(group::addArg);
      command.addArgGroup(group.build());
    }
    return added;
  }

  private static OptionSpec toSpec(PromptOption option) {
    OptionSpec.Builder spec = OptionSpec.builder("--" + option.name()).paramLabel(option.paramLabel())
        .description(option.description());
    if (option.type() == List.class) {
      spec.type(List.class).auxiliaryTypes(String.class).splitRegex(",");
    } else {
      spec.type(option.type());
    }
    if (option.defaultValue() != null) {
      spec.defaultValue(option.defaultValue());
    }
    return spec.build();
  }

  private static Object parse(PromptOption option, String text) {
    Class<?> type = option.type();
    if (type == Integer.class) {
      return Integer.valueOf(text);
    } else if (type == Double.class) {
      return Double.valueOf(text);
    } else if (type == Float.class) {
      return Float.valueOf(text);
    } else if (type == List.class) {
      return Arrays.asList(text.split(","));
    }
    return text;
  }

  @Override
  public Object get(String name) {
    OptionSpec spec = options.get(name);
    if (spec == null) {
      throw new IllegalArgumentException("no prompt option --" + name);
    }
    Object value = spec.getValue();
    // picocli leaves an option of a programmatic group unset when it is not given: the default then
    PromptOption option = declared.get(name);
    return value == null && option.defaultValue() != null ? parse(option, option.defaultValue()) : value;
  }
}

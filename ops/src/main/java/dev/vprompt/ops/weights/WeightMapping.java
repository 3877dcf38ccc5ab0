package dev.vprompt.ops.weights;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which checkpoint tensors make which graph variables, and how ({@link Conversion}). {@link #problems}
 * checks a source against the model's variables completely: every tensor of the source used (or ignored
 * by a declared rule, e.g. batch-norm's {@code num_batches_tracked} counter, which carries no weight),
 * every variable filled exactly once, every shape right.
 */
public final class WeightMapping {

  /** How one variable is made. */
  public record Rule(String target, List<String> sources, Conversion conversion) {
    public Rule {
      sources = List.copyOf(sources);
    }
  }

  /** A pattern of source names that carry nothing to import, and why. */
  public record Ignored(Pattern names, String why) {}

  /** Receives each variable's converted values. */
  @FunctionalInterface
  public interface Sink {
    void accept(String target, long[] shape, float[] values) throws IOException;
  }

  private final Map<String, Rule> rules;
  private final List<Ignored> ignored;

  private WeightMapping(Map<String, Rule> rules, List<Ignored> ignored) {
    this.rules = rules;
    this.ignored = ignored;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Rules by target variable, in the order they were added. */
  public Map<String, Rule> rules() {
    return rules;
  }

  public List<Ignored> ignored() {
    return ignored;
  }

  /** Whether a source tensor is declared to carry nothing to import. */
  public boolean isIgnored(String source) {
    return ignored.stream().anyMatch(i -> i.names().matcher(source).matches());
  }

  /**
   * Everything that keeps the source from filling these variables, one line per problem naming the tensor
   * or the variable; empty when the source fits.
   */
  public List<String> problems(Map<String, long[]> source, Map<String, long[]> variables) {
    List<String> missing = new ArrayList<>();
    List<String> misShaped = new ArrayList<>();
    List<String> unfilled = new ArrayList<>();
    List<String> unknownTargets = new ArrayList<>();
    Set<String> used = new LinkedHashSet<>();
    for (Rule rule : rules.values()) {
      long[] target = variables.get(rule.target());
      if (target == null) {
        unknownTargets.add("mapping names a variable the model lacks: " + rule.target());
        continue;
      }
      List<long[]> shapes = new ArrayList<>();
      for (String name : rule.sources()) {
        long[] shape = source.get(name);
        if (shape == null) {
          missing.add("missing from the file: " + name + " (for " + rule.target() + " " + Arrays.toString(target) + ")");
        } else {
          shapes.add(shape);
          used.add(name);
        }
      }
      if (shapes.size() == rule.sources().size()) {
        String problem = rule.conversion().check(shapes, target);
        if (problem != null) {
          misShaped.add("wrong shape: " + String.join(" + ", rule.sources()) + " -> " + rule.target() + ": " + problem);
        }
      }
    }
    for (Map.Entry<String, long[]> v : variables.entrySet()) {
      if (!rules.containsKey(v.getKey())) {
        unfilled.add("not filled by any tensor: " + v.getKey() + " " + Arrays.toString(v.getValue()));
      }
    }
    List<String> unused = new ArrayList<>();
    source.forEach((name, shape) -> {
      if (!used.contains(name) && !isIgnored(name)) {
        unused.add("unused by the model: " + name + " " + Arrays.toString(shape));
      }
    });
    List<String> all = new ArrayList<>();
    all.addAll(missing);
    all.addAll(misShaped);
    all.addAll(unused);
    all.addAll(unfilled);
    all.addAll(unknownTargets);
    return all;
  }

  /** Fails with every problem when the source does not fit the variables. */
  public void check(WeightSource source, Map<String, long[]> variables) throws WeightMappingException {
    List<String> problems = problems(source.shapes(), variables);
    if (!problems.isEmpty()) {
      throw new WeightMappingException(source.description(), problems);
    }
  }

  /**
   * Checks, then converts one variable at a time into the sink (so that at most one tensor's values are
   * held at once beyond what the sink keeps).
   */
  public void convert(WeightSource source, Map<String, long[]> variables, Sink sink)
      throws WeightMappingException, IOException {
    check(source, variables);
    for (Rule rule : rules.values()) {
      List<float[]> values = new ArrayList<>();
      List<long[]> shapes = new ArrayList<>();
      for (String name : rule.sources()) {
        values.add(source.floats(name));
        shapes.add(source.shapes().get(name));
      }
      long[] target = variables.get(rule.target());
      sink.accept(rule.target(), target, rule.conversion().apply(values, shapes, target));
    }
  }

  /** Collects rules; a target given twice is a programming error. */
  public static final class Builder {
    private final Map<String, Rule> rules = new LinkedHashMap<>();
    private final List<Ignored> ignored = new ArrayList<>();

    private Builder() {
      ignore(".*(^|\\.)num_batches_tracked", "batch-norm's step counter (carries no weight)");
    }

    public Builder map(String target, String source, Conversion conversion) {
      return map(target, List.of(source), conversion);
    }

    public Builder map(String target, List<String> sources, Conversion conversion) {
      if (rules.putIfAbsent(target, new Rule(target, sources, conversion)) != null) {
        throw new IllegalStateException("variable '" + target + "' is mapped twice");
      }
      return this;
    }

    public Builder copy(String target, String source) {
      return map(target, source, Conversion.copy());
    }

    /** {@code nn.Linear} {@code weight} and {@code bias} to a dense layer's {@code kernel} and {@code bias}. */
    public Builder linear(String targetLayer, String sourceLayer) {
      map(targetLayer + ".kernel", sourceLayer + ".weight", Conversion.linear());
      return copy(targetLayer + ".bias", sourceLayer + ".bias");
    }

    /** An {@code nn.Conv2d} without bias ({@code weight} only) to a convolution's {@code kernel}. */
    public Builder conv(String targetLayer, String sourceLayer) {
      return map(targetLayer + ".kernel", sourceLayer + ".weight", Conversion.conv());
    }

    /** An {@code nn.Conv2d} with bias. */
    public Builder convWithBias(String targetLayer, String sourceLayer) {
      conv(targetLayer, sourceLayer);
      return copy(targetLayer + ".bias", sourceLayer + ".bias");
    }

    /**
     * A model's first {@code nn.Conv2d}, with bias, whose kernel a grey model sums over its input channels
     * (timm's {@code adapt_input_conv}).
     */
    public Builder inputConvWithBias(String targetLayer, String sourceLayer) {
      map(targetLayer + ".kernel", sourceLayer + ".weight", Conversion.convAdaptingInputChannels());
      return copy(targetLayer + ".bias", sourceLayer + ".bias");
    }

    /** {@code nn.LayerNorm} {@code weight}, {@code bias} to {@code gamma}, {@code beta}. */
    public Builder layerNorm(String targetLayer, String sourceLayer) {
      copy(targetLayer + ".gamma", sourceLayer + ".weight");
      return copy(targetLayer + ".beta", sourceLayer + ".bias");
    }

    /** {@code nn.BatchNorm2d} weight, bias and running statistics. */
    public Builder batchNorm(String targetLayer, String sourceLayer) {
      copy(targetLayer + ".gamma", sourceLayer + ".weight");
      copy(targetLayer + ".beta", sourceLayer + ".bias");
      copy(targetLayer + ".moving_mean", sourceLayer + ".running_mean");
      return copy(targetLayer + ".moving_variance", sourceLayer + ".running_var");
    }

    /** Source tensors matching {@code regex} (whole name) are expected and carry nothing to import. */
    public Builder ignore(String regex, String why) {
      ignored.add(new Ignored(Pattern.compile(regex), why));
      return this;
    }

    public WeightMapping build() {
      return new WeightMapping(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rules)), List.copyOf(ignored));
    }
  }
}

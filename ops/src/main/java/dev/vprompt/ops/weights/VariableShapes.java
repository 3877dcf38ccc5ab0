package dev.vprompt.ops.weights;

import dev.vprompt.ops.Parameter;
import dev.vprompt.ops.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/** The shapes of a model's variables by name, what {@link WeightMapping#problems} checks against. */
public final class VariableShapes {
  private VariableShapes() {}

  public static Map<String, long[]> of(ParameterStore store, Predicate<String> names) {
    Map<String, long[]> out = new LinkedHashMap<>();
    for (Parameter p : store.all()) {
      if (names.test(p.name())) {
        out.put(p.name(), p.shape().asArray());
      }
    }
    return out;
  }
}

package dev.vprompt.core.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TString;

/**
 * Saves and restores a fixed, named set of variables in TensorFlow's standard V2 checkpoint format
 * ({@code <prefix>.index} + {@code <prefix>.data-00000-of-00001}), readable by any TensorFlow program.
 * The save and restore ops are built once, in the constructor: saving every epoch does not grow the
 * graph. Names and shapes are checked against the checkpoint's index in Java before a restore runs.
 */
public final class CheckpointIo {
  private static final int NAMES_LISTED = 20;

  private final Ops tf;
  private final Map<String, Variable<?>> variables;
  private final Placeholder<TString> savePrefix;
  private final Op save;
  private final RestoreGroup restoreAll;
  private final Map<List<String>, RestoreGroup> subsetGroups = new HashMap<>();

  /**
   * @param tf ops of the variables' graph; this builds its ops under {@code checkpoint/}
   * @param variables checkpoint names to variables, in the order to save them; any element type
   */
  public CheckpointIo(Ops tf, Map<String, ? extends Variable<?>> variables) {
    Objects.requireNonNull(variables, "variables");
    if (variables.isEmpty()) {
      throw new IllegalArgumentException("no variables to checkpoint");
    }
    Map<String, String> seen = new HashMap<>(); // variable op name -> checkpoint name
    variables.forEach(
        (name, variable) -> {
          if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a checkpoint name is empty");
          }
          Objects.requireNonNull(variable, name);
          if (variable.shape().isUnknown() || variable.shape().hasUnknownDimension()) {
            throw new IllegalArgumentException(
                "variable '" + name + "' has a partly unknown shape " + variable.shape());
          }
          String other = seen.put(variable.op().name(), name);
          if (other != null) {
            throw new IllegalArgumentException(
                "one variable is listed twice, as '" + other + "' and as '" + name + "'");
          }
        });
    this.variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    this.tf = tf.withSubScope("checkpoint");

    List<String> names = List.copyOf(this.variables.keySet());
    List<Variable<?>> all = List.copyOf(this.variables.values());
    Ops saving = this.tf.withSubScope("save");
    savePrefix = saving.withName("prefix").placeholder(TString.class);
    String[] wholeTensors = new String[names.size()];
    java.util.Arrays.fill(wholeTensors, "");
    save =
        saving.train.save(
            savePrefix,
            saving.constant(StandardCharsets.UTF_8, names.toArray(String[]::new)),
            saving.constant(StandardCharsets.UTF_8, wholeTensors),
            new ArrayList<Operand<?>>(all));
    restoreAll = new RestoreGroup(this.tf.withSubScope("restore"), names, all);
  }

  /** The variables this saves and restores, by checkpoint name. */
  public Map<String, Variable<?>> variables() {
    return variables;
  }

  /**
   * Writes every variable to {@code prefix.index} and {@code prefix.data-00000-of-00001}, creating the
   * prefix's directory if needed. Use {@link CheckpointDirectory#write} to replace a checkpoint
   * atomically.
   */
  public void save(Session session, Path prefix) throws IOException {
    Path absolute = prefix.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    try (TString prefixValue = TString.scalarOf(absolute.toString())) {
      session.runner().feed(savePrefix, prefixValue).addTarget(save).run().close();
    } catch (TensorFlowException e) {
      throw new IOException("could not write checkpoint " + prefix + ": " + firstLine(e), e);
    }
  }

  /**
   * Restores every variable from the tensor of the same name. Tensors of the checkpoint that no variable
   * takes are ignored (an inference graph restores a training checkpoint's weights). Initialisers never
   * overwrite what this restores: a session runs them before its first run, so before this one.
   *
   * @throws IllegalArgumentException when the checkpoint is missing, lacks a variable's tensor, or holds
   *     it with another shape or type; the message names the variable and the checkpoint
   */
  public void restore(Session session, Path prefix) throws IOException {
    Map<String, String> identity = new LinkedHashMap<>();
    variables.keySet().forEach(name -> identity.put(name, name));
    Map<String, SavedTensor> saved = CheckpointIndex.read(prefix);
    check(prefix, saved, identity);
    run(restoreAll, session, prefix, List.copyOf(variables.keySet()));
  }

  /**
   * Restores some variables from tensors saved under other names (importing weights, {@code
   * --init-from}); the other variables keep their values.
   *
   * @param checkpointNameToVariableName which checkpoint tensor goes into which variable (its name here)
   * @throws IllegalArgumentException listing every checkpoint name it lacks, every unknown variable and
   *     every tensor whose shape or type does not fit, before anything is restored
   */
  public void restoreSubset(Session session, Path prefix, Map<String, String> checkpointNameToVariableName)
      throws IOException {
    Objects.requireNonNull(checkpointNameToVariableName, "checkpointNameToVariableName");
    if (checkpointNameToVariableName.isEmpty()) {
      throw new IllegalArgumentException("nothing to restore: the name mapping is empty");
    }
    Map<String, SavedTensor> saved = CheckpointIndex.read(prefix);
    check(prefix, saved, checkpointNameToVariableName);
    // One group per set of target variables, whatever the mapping's order: repeated imports reuse it.
    List<Map.Entry<String, String>> byTarget =
        checkpointNameToVariableName.entrySet().stream().sorted(Map.Entry.comparingByValue()).toList();
    List<String> targets = byTarget.stream().map(Map.Entry::getValue).toList();
    RestoreGroup group =
        subsetGroups.computeIfAbsent(
            targets,
            key ->
                new RestoreGroup(
                    tf.withSubScope("restore_subset"),
                    key,
                    key.stream().<Variable<?>>map(variables::get).toList()));
    run(group, session, prefix, byTarget.stream().map(Map.Entry::getKey).toList());
  }

  private void check(Path prefix, Map<String, SavedTensor> saved, Map<String, String> mapping) {
    List<String> problems = new ArrayList<>();
    Set<String> targeted = new java.util.HashSet<>();
    boolean missing = false;
    for (Map.Entry<String, String> entry : mapping.entrySet()) {
      String tensorName = entry.getKey();
      String variableName = entry.getValue();
      Variable<?> variable = variables.get(variableName);
      SavedTensor tensor = saved.get(tensorName);
      String into = tensorName.equals(variableName) ? "" : " (for variable '" + variableName + "')";
      if (variable == null) {
        problems.add("there is no variable '" + variableName + "' to restore '" + tensorName + "' into");
      } else if (!targeted.add(variableName)) {
        problems.add("variable '" + variableName + "' is the target of two checkpoint tensors");
      }
      if (tensor == null) {
        problems.add("the checkpoint has no tensor '" + tensorName + "'" + into);
        missing = true;
      } else if (variable != null) {
        DataType expected = baseType(variable.asOutput().dataType());
        if (tensor.dtype() != expected) {
          problems.add(
              "variable '" + variableName + "' is " + expected + " but the checkpoint's '" + tensorName
                  + "' is " + tensor.dtype());
        } else if (!tensor.shape().equals(variable.shape())) {
          problems.add(
              "variable '" + variableName + "' has shape " + variable.shape() + " but the checkpoint's '"
                  + tensorName + "' has shape " + tensor.shape());
        }
      }
    }
    if (problems.isEmpty()) {
      return;
    }
    StringBuilder message =
        new StringBuilder("cannot restore from checkpoint ").append(prefix).append(':');
    problems.forEach(problem -> message.append("\n  ").append(problem));
    if (missing) {
      message.append("\n  the checkpoint holds ").append(saved.size()).append(" tensors: ");
      message.append(String.join(", ", saved.keySet().stream().limit(NAMES_LISTED).toList()));
      if (saved.size() > NAMES_LISTED) {
        message.append(", ...");
      }
    }
    throw new IllegalArgumentException(message.toString());
  }

  /** Reference variables report {@code DT_FLOAT_REF} and the like: the plain type is 100 lower. */
  private static DataType baseType(DataType type) {
    return type.getNumber() > 100 ? DataType.forNumber(type.getNumber() - 100) : type;
  }

  private static void run(RestoreGroup group, Session session, Path prefix, List<String> tensorNames) {
    try {
      group.run(session, prefix.toAbsolutePath().toString(), tensorNames);
    } catch (TensorFlowException e) {
      // The index check above should have caught it; this is for what only TensorFlow sees.
      throw new IllegalArgumentException(
          "could not restore from checkpoint " + prefix + ": " + firstLine(e), e);
    }
  }

  /**
   * TensorFlow's own words without the lines it appends (the failing node, {@code [[{{node ...}}]]}),
   * which name graph internals and break the one-line message.
   */
  static String firstLine(TensorFlowException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
    int end = message.indexOf('\n');
    return (end < 0 ? message : message.substring(0, end)).strip();
  }
}

package dev.vprompt.core.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * One {@code RestoreV2} over a fixed list of variables, assigning each its tensor. The checkpoint prefix
 * and the checkpoint-side tensor names are fed, so the same ops restore from any checkpoint under any
 * names: built once, they never grow the graph.
 */
final class RestoreGroup {
  private static final Pattern OP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]*");

  private final Placeholder<TString> prefix;
  private final Placeholder<TString> tensorNames;
  private final Op restored;

  /** @param variables the variables to restore, by their own (model) names, in feed order */
  RestoreGroup(Ops tf, List<String> names, List<Variable<?>> variables) {
    prefix = tf.withName("prefix").placeholder(TString.class);
    tensorNames = tf.withName("tensor_names").placeholder(TString.class);
    String[] wholeTensors = new String[variables.size()];
    java.util.Arrays.fill(wholeTensors, "");
    List<Class<? extends TType>> dtypes = new ArrayList<>();
    for (Variable<?> variable : variables) {
      dtypes.add(variable.type());
    }
    Restore restore =
        tf.train.restore(
            prefix, tensorNames, tf.constant(StandardCharsets.UTF_8, wholeTensors), dtypes);
    List<Op> assigns = new ArrayList<>();
    Ops assigning = tf.withSubScope("assign");
    for (int i = 0; i < variables.size(); i++) {
      // Named after the variable, so that a TensorFlow error about the assign names it too.
      Ops named =
          OP_NAME.matcher(names.get(i)).matches() ? assigning.withName(names.get(i)) : assigning;
      assigns.add(assign(named, variables.get(i), restore.tensors().get(i)));
    }
    restored = tf.withControlDependencies(assigns).withName("restored").noOp();
  }

  private static <T extends TType> Op assign(Ops tf, Variable<T> variable, Output<?> value) {
    return tf.assign(variable, value.expect(variable.type()));
  }

  /** Restores the checkpoint's {@code tensorNames[i]} into the i-th variable. */
  void run(Session session, String checkpointPrefix, List<String> checkpointNames) {
    try (TString prefixValue = TString.scalarOf(checkpointPrefix);
        TString namesValue = TString.vectorOf(checkpointNames.toArray(String[]::new))) {
      session.runner()
          .feed(prefix, prefixValue)
          .feed(tensorNames, namesValue)
          .addTarget(restored)
          .run()
          .close();
    }
  }
}

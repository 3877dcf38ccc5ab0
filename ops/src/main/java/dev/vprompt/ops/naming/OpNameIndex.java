package dev.vprompt.ops.naming;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.Graph;

/**
 * The op names of one graph, sorted, each with its place in creation order: what a new sub-scope needs
 * to learn the names already used under its prefix without visiting every operation of the graph.
 *
 * <p>It holds what a walk of the graph found at the last {@link #resync} plus every name made since
 * through an {@link IndexedScope}. Ops made since by other means (other scopes, {@code addGradients})
 * are missing until the next resync; they matter only if their names fall under a sub-scope created
 * afterwards, which vprompt's builds never do (a test compares whole graphs' names with TensorFlow
 * Java's own scopes).
 */
final class OpNameIndex {

  private static final Map<Graph, OpNameIndex> BY_GRAPH = Collections.synchronizedMap(new WeakHashMap<>());

  /** A numbered name, as TensorFlow Java's name scopes read it: {@code Conv2D_3} is {@code Conv2D}, 3. */
  private static final Pattern NUMBERED = Pattern.compile("(.+)_(\\d+)", Pattern.DOTALL);

  private final TreeMap<String, Long> creationOrder = new TreeMap<>();
  private long next;

  /** The graph's index, rebuilt from a walk over its operations (once per model build, not per scope). */
  static OpNameIndex resynced(Graph graph) {
    OpNameIndex index = BY_GRAPH.computeIfAbsent(graph, g -> new OpNameIndex());
    index.resync(graph);
    return index;
  }

  synchronized void resync(Graph graph) {
    creationOrder.clear();
    next = 0;
    graph.operations().forEachRemaining(op -> creationOrder.put(op.name(), next++));
  }

  /** A name an op is about to be built under. */
  synchronized void record(String opName) {
    creationOrder.putIfAbsent(opName, next++);
  }

  /**
   * The used-name counters a sub-scope {@code prefix} starts from: TensorFlow Java's name scope derives
   * them from every op whose name starts with the prefix (as a string, so {@code a/b} also reads {@code
   * a/bc}) and has no '/' after the prefix and one more character, folded in creation order.
   */
  synchronized void importInto(String prefix, Map<String, Integer> used) {
    List<Map.Entry<String, Long>> found = new ArrayList<>();
    int cut = prefix.length() + 1;
    String key = creationOrder.ceilingKey(prefix);
    while (key != null && key.startsWith(prefix)) {
      if (key.length() < cut) {
        // an op named like the scope itself: TensorFlow Java's own import fails on it too
        throw new IllegalStateException("an operation is named '" + key + "', like the new name scope");
      }
      int slash = key.indexOf('/', cut);
      if (slash >= 0) {
        // a deeper op: skip everything under the same '/'-ended stem ('0' sorts right after '/')
        key = creationOrder.ceilingKey(key.substring(0, slash) + '0');
        continue;
      }
      found.add(Map.entry(key, creationOrder.get(key)));
      key = creationOrder.higherKey(key);
    }
    found.sort(Map.Entry.comparingByValue());
    for (Map.Entry<String, Long> op : found) {
      count(op.getKey().substring(cut), used);
    }
  }

  synchronized Map<String, Integer> usedUnder(String prefix) {
    Map<String, Integer> used = new HashMap<>();
    importInto(prefix, used);
    return used;
  }

  /** One op's effect on the counters: a numbered name raises its stem's next number, a plain one counts. */
  private static void count(String name, Map<String, Integer> used) {
    Matcher numbered = NUMBERED.matcher(name);
    if (numbered.find()) {
      String stem = numbered.group(1);
      int nextNumber = Integer.parseInt(numbered.group(2)) + 1;
      Integer current = used.get(stem);
      if (current == null || current <= nextNumber) {
        used.put(stem, nextNumber);
      }
    } else {
      used.merge(name, 1, Integer::sum);
    }
  }
}

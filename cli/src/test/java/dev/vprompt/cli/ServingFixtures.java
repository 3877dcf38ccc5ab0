package dev.vprompt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs trained for one epoch on the embedded subset (batch 32, so batch-norm statistics settle enough for
 * a non-trivial accuracy) and their exports, made once per test JVM and shared by the export, inspect
 * and predict command tests. Only {@code add}'s accuracy is tested: the other prompts' runs, which are
 * only exported and inspected, train on 5 images a class.
 */
final class ServingFixtures {

  private static Path root;
  private static final Map<String, Path> RUNS = new HashMap<>();
  private static final Map<String, Path> MODELS = new HashMap<>();

  private ServingFixtures() {}

  /** @param prompt {@code none} or an MSVP fusion: {@code add}, {@code gated}, {@code concat} */
  static synchronized Path run(String prompt) throws IOException {
    Path run = RUNS.get(prompt);
    if (run == null) {
      run = root().resolve("runs").resolve(prompt);
      String[] promptArgs = prompt.equals("none") ? new String[] {"--prompt", "none"}
          : new String[] {"--prompt", "msvp", "--msvp-fusion", prompt};
      if (!prompt.equals("add")) {
        promptArgs = concat(promptArgs, "--train-per-class", "5");
      }
      String[] args = concat(new String[] {"train", "--epochs", "1", "--batch-size", "32", "--threads", "2", "--out",
          run.toString()}, promptArgs);
      CliRun train = CliRun.of(args);
      assertEquals(0, train.exitCode(), train.out() + train.err());
      RUNS.put(prompt, run);
    }
    return run;
  }

  /** The run's best checkpoint exported as models/PROMPT/1. */
  static synchronized Path model(String prompt) throws IOException {
    Path model = MODELS.get(prompt);
    if (model == null) {
      Path out = root().resolve("models").resolve(prompt);
      CliRun export = CliRun.of("export", "--run", run(prompt).toString(), "--out", out.toString(), "--threads", "2");
      assertEquals(0, export.exitCode(), export.out() + export.err());
      model = out.resolve("1");
      MODELS.put(prompt, model);
    }
    return model;
  }

  private static Path root() throws IOException {
    if (root == null) {
      root = Files.createTempDirectory("vprompt-serving-");
      Path dir = root;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
    }
    return root;
  }

  static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static void delete(Path dir) {
    try {
      dev.vprompt.core.run.FileTrees.delete(dir);
    } catch (IOException e) {
      // a temp directory: the system cleans it eventually
    }
  }

}

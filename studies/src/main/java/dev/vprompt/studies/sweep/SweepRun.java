package dev.vprompt.studies.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of a sweep: its place in the grid, its directory name and the train options that define it.
 *
 * @param index position in the whole grid (from 0), which decides its shard
 * @param name the run directory's name, e.g. {@code fashion-mnist-cnn-msvp-gated-s42}
 * @param settings each option once, with where it was set
 */
public record SweepRun(int index, String name, List<Setting> settings) {

  public SweepRun {
    settings = List.copyOf(settings);
  }

  /** The {@code vprompt train} arguments of this run into {@code dir}. */
  public List<String> trainArguments(Path dir, TrainOptions options) {
    List<String> args = new ArrayList<>();
    for (Setting s : settings) {
      if (options.isFlag(s.option())) {
        if (s.value().equals("true")) {
          args.add("--" + s.option());
        }
      } else {
        args.add("--" + s.option());
        args.add(s.value());
      }
    }
    args.add("--out");
    args.add(dir.toString());
    return args;
  }

  /** The setting of an option, or null when the run leaves it at the train command's default. */
  public Setting setting(String option) {
    return settings.stream().filter(s -> s.option().equals(option)).findFirst().orElse(null);
  }
}

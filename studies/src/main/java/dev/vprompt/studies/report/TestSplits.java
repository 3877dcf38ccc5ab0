package dev.vprompt.studies.report;

import dev.vprompt.core.data.ImageSet;
import dev.vprompt.core.data.LoadedData;
import dev.vprompt.core.run.RunConfig;
import java.util.HashMap;
import java.util.Map;

/** The test split each run was evaluated on, loaded once per dataset however many runs use it. */
final class TestSplits {

  private final Map<String, ImageSet> loaded = new HashMap<>();

  ImageSet of(RunConfig config) {
    String key = config.data() + "|" + config.dataClasses();
    return loaded.computeIfAbsent(key, k -> LoadedData.forRun(config).splits().test());
  }
}

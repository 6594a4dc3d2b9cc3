package babble.search.domain;

import babble.platform.config.Config;
import babble.platform.config.ConfigException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The search service's settings: {@code INSTANCE} (else {@code PROCESS_NAME}, else "search") names this process's
 * index and consumers (several instances serve at once, each with its own index on local disk); {@code INDEX_DIR}
 * is where the index lives, by default {@code <DATA_DIR>/search/<instance>}.
 */
public record SearchSettings(String instance, Path indexDir) {
    private static final Pattern INSTANCE = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    public static SearchSettings from(Config config) {
        // Processes mode names each process (BABBLE_PROCESS_NAME: search, search-2): each its own index by default.
        String instance = config.string("INSTANCE", config.string("PROCESS_NAME", "search"));
        if (!INSTANCE.matcher(instance).matches()) {
            throw new ConfigException(config.nameOf("INSTANCE") + " must be up to 40 lowercase letters, digits or dashes, got '"
                    + instance + "'");
        }
        Path dataDir = Path.of(config.string("DATA_DIR", "data"));
        Path indexDir = Path.of(config.string("INDEX_DIR", dataDir.resolve("search").resolve(instance).toString()));
        return new SearchSettings(instance, indexDir.toAbsolutePath().normalize());
    }

    /** The durable consumer of one stream for this instance's index. */
    public String consumer(String stream) {
        return "index-" + instance + "-" + stream;
    }
}

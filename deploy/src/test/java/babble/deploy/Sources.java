package babble.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the code says, read from the sources as text (this module depends on nothing of Babble's): the services and
 * their ports ({@code Catalog}), and which services each one calls ({@code chassis.client("name")}).
 */
final class Sources {
    private static final Pattern CATALOG_ENTRY = Pattern.compile("new Entry\\(\"([a-z0-9-]+)\",\\s*(\\d+)");
    private static final Pattern CLIENT_CALL = Pattern.compile("\\.client\\(\\s*\"([a-z0-9-]+)\"");

    private static Map<String, Integer> catalog;
    private static Map<String, Set<String>> callGraph;

    private Sources() {
    }

    /** The repository's root: the working directory (deploy/ under Maven) or one of its parents. */
    static Path repository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/k8s")) && Files.isDirectory(dir.resolve("services"))) {
                return dir;
            }
        }
        throw new AssertionError("cannot find the repository (a directory with deploy/k8s and services/) from "
                + Path.of("").toAbsolutePath());
    }

    /** Service name → the port it listens on when it runs alone. */
    static synchronized Map<String, Integer> catalog() {
        if (catalog == null) {
            catalog = readCatalog();
        }
        return catalog;
    }

    /** Service name → the services its main code calls. */
    static synchronized Map<String, Set<String>> callGraph() {
        if (callGraph == null) {
            callGraph = readCallGraph();
        }
        return callGraph;
    }

    private static Map<String, Integer> readCatalog() {
        String text = read(repository().resolve("app/src/main/java/babble/app/Catalog.java"));
        var ports = new TreeMap<String, Integer>();
        var m = CATALOG_ENTRY.matcher(text);
        while (m.find()) {
            ports.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        if (ports.isEmpty()) {
            throw new AssertionError("found no service in Catalog.java: has its shape changed?");
        }
        return java.util.Collections.unmodifiableMap(ports);
    }

    private static Map<String, Set<String>> readCallGraph() {
        var graph = new TreeMap<String, Set<String>>();
        for (String service : catalog().keySet()) {
            Path sources = repository().resolve("services").resolve(service).resolve("src/main/java");
            if (!Files.isDirectory(sources)) {
                throw new AssertionError("no sources for " + service + " at " + sources);
            }
            var calls = new TreeSet<String>();
            try (Stream<Path> files = Files.walk(sources)) {
                files.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
                    var m = CLIENT_CALL.matcher(read(p));
                    while (m.find()) {
                        calls.add(m.group(1));
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            graph.put(service, java.util.Collections.unmodifiableSet(calls));
        }
        return java.util.Collections.unmodifiableMap(graph);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

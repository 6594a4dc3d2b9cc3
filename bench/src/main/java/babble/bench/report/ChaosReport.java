package babble.bench.report;

import babble.bench.scenarios.Chaos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;

/** {@code ./babble bench --chaos}: the kills, what the load was acknowledged, and what was kept, as Markdown and JSON. */
public final class ChaosReport {
    private ChaosReport() {
    }

    /** Writes {@code <date>-processes-chaos[-<seconds>s].{md,json}}; answers the Markdown file. */
    public static Path write(Path dir, String commit, Chaos.Result chaos) throws IOException {
        String name = LocalDate.now(ZoneOffset.UTC) + "-processes-chaos"
                + (chaos.duration().toMinutes() < 10 ? "-" + chaos.duration().toSeconds() + "s" : "");
        Summaries.writeJson(dir.resolve(name + ".json"), "processes", commit, Map.of("chaos", chaos));

        var md = new StringBuilder("# Babble chaos run: processes, ").append(chaos.duration().toSeconds())
                .append(" s, a kill every ").append(chaos.killEvery().toSeconds()).append(" s\n\n")
                .append(Summaries.commitAndMachine(commit)).append(" Seed ").append(chaos.seed())
                .append(" (`--seed` repeats the choice of victims).\n\n");
        md.append(chaos.failures().isEmpty() ? "**Passed**: nothing acknowledged was lost or doubled.\n\n"
                : "**Failed**:\n\n" + String.join("\n", chaos.failures().stream().map(f -> "- " + f).toList()) + "\n\n");
        md.append(String.format(Locale.ROOT, "The mixed load at %.0f requests/s (half chat posts, a quarter history reads, "
                        + "the rest posts, comments, follows, hot listings and `!quote`), %d live sockets (two per room). "
                        + "%d requests, %d failed or refused while a service was down (allowed: only what was acknowledged "
                        + "must be kept).%n%n", chaos.ratePerSecond(), chaos.sockets(), chaos.requests(),
                chaos.failedRequests()));
        md.append("## Kills\n\nEach a `kill -9` of one service process (never a gateway), chosen at random; the launcher "
                + "starts it again. Ready again: until the launcher reported every part ready.\n\n"
                + "| at s | service | pid | every part ready again after s |\n|---:|---|---:|---:|\n");
        for (Chaos.Kill kill : chaos.kills()) {
            md.append(String.format(Locale.ROOT, "| %.1f | %s | %d | %.1f |%n", kill.atSeconds(), kill.service(),
                    kill.pid(), kill.readyAfterSeconds()));
        }
        md.append("\n## What was kept\n\n| check | figure |\n|---|---:|\n");
        row(md, "messages acknowledged", chaos.acknowledgedMessages());
        row(md, "acknowledged messages not stored", chaos.missingStored());
        row(md, "messages stored twice", chaos.storedTwice());
        row(md, "deliveries missing (each acknowledged message to each socket of its room)", chaos.missingDeliveries());
        row(md, "deliveries twice to one socket", chaos.duplicateDeliveries());
        row(md, "sockets closed by the server", chaos.socketsClosed());
        row(md, "`!quote` commands stored", chaos.quoteCommands());
        row(md, "bot replies stored", chaos.botReplies());
        row(md, "comments acknowledged", chaos.acknowledgedComments());
        row(md, "acknowledged comments never moderated", chaos.commentsUndecided());
        row(md, "comments moderated more than once", chaos.commentsDecidedTwice());
        row(md, "exports submitted (one every 10 s)", chaos.jobs().submitted());
        row(md, "exports succeeded, each file holding every message once, in order", chaos.jobs().succeeded());
        row(md, "exports refused for a minute", chaos.jobs().refused());
        chaos.jobs().byAttempts().forEach((attempts, count) -> row(md, "exports that took " + attempts + " attempt"
                + (attempts == 1 ? "" : "s") + " (a crash of its worker counts as one)", count));
        md.append("\n## Answers by kind and status\n\n(status 0: no answer within 30 s)\n\n| request | answers |\n|---|---:|\n");
        chaos.outcomes().forEach((kindAndStatus, count) -> md.append("| ").append(kindAndStatus).append(" | ")
                .append(count).append(" |\n"));
        Path file = dir.resolve(name + ".md");
        Files.writeString(file, md.toString());
        return file;
    }

    private static void row(StringBuilder md, String what, long figure) {
        md.append("| ").append(what).append(" | ").append(figure).append(" |\n");
    }
}

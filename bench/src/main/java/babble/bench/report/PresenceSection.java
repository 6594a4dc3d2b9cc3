package babble.bench.report;

import babble.bench.scenarios.PresenceFanOut;
import java.util.List;
import java.util.Map;

/**
 * The report's part on presence: a user coming online told to every socket of the members of their room, next
 * to the same user's chat message fanned out to the same sockets (the same-run baseline), round by round.
 */
public final class PresenceSection {
    private PresenceFanOut.Result result;

    public void result(PresenceFanOut.Result result) {
        this.result = result;
    }

    void figures(Map<String, Object> into) {
        if (result != null) {
            into.put("presenceFanOut", result);
        }
    }

    void markdown(StringBuilder md) {
        if (result == null) {
            return;
        }
        int sockets = result.users() * result.socketsPerUser();
        md.append("## Presence fan-out\n\n").append(result.users()).append(" users × ").append(result.socketsPerUser())
                .append(" sockets = ").append(sockets).append(" sockets following one room. Each round a member with no "
                        + "socket opens one: every socket must get `presence` (online) once; latency runs from opening "
                        + "the socket to receipt. Baseline, the same round: that member posts a message, which every "
                        + "socket must get (from sending the POST). Server CPU is every Babble process's, during the "
                        + "round. Rounds alternate presence and message.\n\n");
        md.append("| Round | kind | delivered | all delivered after | p50 | p99 | max | server CPU |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        List<PresenceFanOut.Round> presence = result.presence();
        List<PresenceFanOut.Round> messages = result.messages();
        for (int i = 0; i < presence.size(); i++) {
            row(md, i + 1, presence.get(i));
            if (i < messages.size()) {
                row(md, i + 1, messages.get(i));
            }
        }
        md.append("\nMedians over the rounds: presence all delivered after ").append(median(presence, true))
                .append(" ms, server CPU ").append(median(presence, false)).append(" ms; message ")
                .append(median(messages, true)).append(" ms, ").append(median(messages, false))
                .append(" ms. Going offline (after the grace) reached ").append(result.offlineDelivered()).append(" of ")
                .append(result.offlineExpected()).append(" socket deliveries.\n\n");
    }

    private static void row(StringBuilder md, int round, PresenceFanOut.Round r) {
        md.append("| ").append(round).append(" | ").append(r.kind()).append(" | ").append(r.delivered()).append(" / ")
                .append(r.sockets()).append(" | ").append(r.allDeliveredMs()).append(" ms | ").append(r.latency().p50())
                .append(" | ").append(r.latency().p99()).append(" | ").append(r.latency().max()).append(" | ")
                .append(r.serverCpuMs()).append(" ms |\n");
    }

    private static double median(List<PresenceFanOut.Round> rounds, boolean delivery) {
        if (rounds.isEmpty()) {
            return 0;
        }
        var values = rounds.stream().mapToDouble(r -> delivery ? r.allDeliveredMs() : r.serverCpuMs()).sorted().toArray();
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : Math.round((values[mid - 1] + values[mid]) / 2 * 10) / 10.0;
    }
}

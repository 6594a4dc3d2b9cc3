package babble.bench.report;

import babble.bench.OpenLoop;
import babble.bench.scenarios.Jobs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The report's part on seed 003: trivial jobs through the shared queue next to the bare queue, exports next to
 * reading the same history through the API, and the MQTT bridge in both directions next to the broker alone.
 */
public final class JobsSection {
    private final List<Jobs.QueueRun> queue = new ArrayList<>();
    private Jobs.QueueRun bareQueue;
    private final List<Jobs.ExportRun> exports = new ArrayList<>();
    private final List<Jobs.ExportRun> readHistory = new ArrayList<>();
    private List<OpenLoop.Result> roomToTopic = List.of();
    private List<OpenLoop.Result> roundTrip = List.of();
    private List<OpenLoop.Result> brokerOnly = List.of();
    private String broker;

    public void queue(Jobs.QueueRun run) {
        queue.add(run);
    }

    public void bareQueue(Jobs.QueueRun run) {
        bareQueue = run;
    }

    public void export(Jobs.ExportRun export, Jobs.ExportRun baseline) {
        exports.add(export);
        readHistory.add(baseline);
    }

    public void mqtt(String broker, List<OpenLoop.Result> roomToTopic, List<OpenLoop.Result> roundTrip,
                     List<OpenLoop.Result> brokerOnly) {
        this.broker = broker;
        this.roomToTopic = roomToTopic;
        this.roundTrip = roundTrip;
        this.brokerOnly = brokerOnly;
    }

    boolean measured() {
        return !queue.isEmpty();
    }

    void figures(Map<String, Object> figures) {
        if (!measured()) {
            return;
        }
        figures.put("jobsQueue", queue);
        figures.put("baselineBareQueue", bareQueue);
        figures.put("jobsExport", exports);
        figures.put("baselineReadHistory", readHistory);
        figures.put("mqttRoomToTopic", roomToTopic);
        figures.put("mqttTopicToRoomToTopic", roundTrip);
        figures.put("baselineBrokerOnly", brokerOnly);
    }

    void markdown(StringBuilder md) {
        if (!measured()) {
            return;
        }
        md.append("## Jobs and the MQTT bridge (seed 003)\n\n");
        md.append("**The job queue.** Zero-step `probe` jobs submitted from 16 connections (`POST /jobs`); jobs/s from "
                + "the first submit until the last job finished (each job: a record, a queue entry, a claim, a lease, an "
                + "outcome and its events; the queue is Redis Streams in processes mode, the jobs service's H2 database "
                + "in all-in-one). Baseline in the same run: the bare Redis Streams queue, one client adding, reading "
                + "in a group and acknowledging entries.\n\n");
        md.append("| Run | jobs | seconds | jobs/s |\n|---|---|---|---|\n");
        for (Jobs.QueueRun q : queue) {
            md.append("| ").append(q.label()).append(" | ").append(q.jobs()).append(" | ").append(Report.round(q.seconds()))
                    .append(" | ").append(Math.round(q.jobsPerSecond())).append(" |\n");
        }
        if (bareQueue != null) {
            md.append("| baseline: ").append(bareQueue.label()).append(" | ").append(bareQueue.jobs()).append(" | ")
                    .append(Report.round(bareQueue.seconds())).append(" | ").append(Math.round(bareQueue.jobsPerSecond()))
                    .append(" |\n");
        }
        md.append("\n**Exports.** `export-room` as JSON Lines: messages/s of the job from its own start and finish times "
                + "(pages of 200 read as the owner, written to a file, a checkpoint each second), and the file's download "
                + "through the gateway (1 MiB ranges). Baseline: one client reading the same history through the public "
                + "API, 200 messages a page.\n\n");
        md.append("| Run | messages | bytes | seconds | messages/s | download s |\n|---|---|---|---|---|---|\n");
        for (int i = 0; i < exports.size(); i++) {
            var e = exports.get(i);
            md.append("| export ").append(i + 1).append(" | ").append(e.messages()).append(" | ").append(e.bytes())
                    .append(" | ").append(Report.round(e.jobSeconds())).append(" | ").append(Math.round(e.messagesPerSecond()))
                    .append(" | ").append(Report.round(e.downloadSeconds())).append(" |\n");
            var b = readHistory.get(i);
            md.append("| baseline: read the history by REST ").append(i + 1).append(" | ").append(b.messages())
                    .append(" | | ").append(Report.round(b.jobSeconds())).append(" | ").append(Math.round(b.messagesPerSecond()))
                    .append(" | |\n");
        }
        md.append("\n**MQTT** (broker ").append(broker).append("). Room → topic: a message posted over HTTP until a device "
                + "receives it on the room's topic. Topic → room → topic: a device's post (QoS 1) until it comes back on the "
                + "room's topic (both directions of the bridge, the messages service in between). Baseline: the broker "
                + "alone, a QoS 1 publish until the same device receives it.\n\n");
        md.append(Report.latencyHeader("offered/s"));
        for (int i = 0; i < roomToTopic.size(); i++) {
            md.append(Report.latencyRow("room → topic", roomToTopic.get(i)));
            if (i < roundTrip.size()) {
                md.append(Report.latencyRow("topic → room → topic", roundTrip.get(i)));
            }
            if (i < brokerOnly.size()) {
                md.append(Report.latencyRow("baseline: broker only", brokerOnly.get(i)));
            }
        }
        md.append("\n");
    }
}

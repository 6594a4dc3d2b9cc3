package babble.jobs.kinds;

import babble.contracts.api.MessageView;
import babble.contracts.api.SubmitJobRequest;
import babble.jobs.domain.JobKind;
import babble.jobs.domain.JobRun;
import babble.platform.identity.Identity;
import babble.platform.json.Json;
import babble.platform.problem.Forbidden;
import babble.platform.problem.InvalidField;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code export-room}: a room's whole history, as JSON Lines (each line the REST message) or Markdown, written
 * page by page to a file, so a million messages take one page of memory. A checkpoint (at most every second)
 * records the file's length and the last seq written, after forcing the file to disk; a resumed run copies the
 * file up to that length and goes on after that seq. The export ends at the room's last seq when it started.
 */
public final class ExportRoom implements JobKind {
    public static final String NAME = "export-room";
    private static final Duration CHECKPOINT_EVERY = Duration.ofSeconds(1);

    private final RoomReader reader;
    private final int rate;
    private final Clock clock;

    /** {@code rate}: at most this many messages a second per export (0: as fast as the services answer). */
    public ExportRoom(RoomReader reader, int rate, Clock clock) {
        this.reader = reader;
        this.rate = rate;
        this.clock = clock;
    }

    /** Where a run stopped: the file and how much of it counts, the last seq in it, and where the export ends. */
    record Checkpoint(String file, long bytes, long lastSeq, long upTo, String roomName) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> accept(Identity caller, SubmitJobRequest request) {
        if (request.roomId() == null) {
            throw new InvalidField("roomId", "is required");
        }
        String format = request.format() == null ? "jsonl" : request.format();
        if (!format.equals("jsonl") && !format.equals("markdown")) {
            throw new InvalidField("format", "must be jsonl or markdown");
        }
        if (!reader.access(request.roomId(), caller.requireUser()).member()) {
            throw new Forbidden("only members of the room can export it");
        }
        return Map.of("roomId", request.roomId().toString(), "format", format);
    }

    @Override
    public Map<String, Object> run(JobRun run) throws IOException, InterruptedException {
        UUID roomId = UUID.fromString(run.params().get("roomId").asText());
        boolean markdown = run.params().get("format").asText().equals("markdown");
        JsonNode saved = run.checkpoint();
        Checkpoint from;
        if (saved == null) {
            if (!reader.access(roomId, run.job().ownerId()).member()) {
                throw new Forbidden("the owner is no longer a member of the room");
            }
            from = new Checkpoint(null, 0, 0, reader.lastSeq(roomId), reader.room(roomId, run.owner()).name());
        } else {
            from = Json.convert(saved, Checkpoint.class);
        }
        String file = run.files().name(run.job().id(), run.epoch(), markdown ? "md" : "jsonl");
        long bytes = from.bytes();
        long lastSeq = from.lastSeq();
        Instant began = clock.instant();
        long writtenThisRun = 0;
        try (FileChannel out = run.files().openForRun(file, from.file(), from.bytes())) {
            if (saved == null && markdown) {
                bytes += write(out, ("# " + from.roomName() + "\n\n").getBytes(StandardCharsets.UTF_8));
            }
            Instant lastCheckpoint = clock.instant();
            var page = new ByteArrayOutputStream(64 * 1024);
            while (lastSeq < from.upTo()) {
                var messages = reader.after(roomId, lastSeq, run.owner()).messages();
                if (messages.isEmpty()) {
                    break;
                }
                page.reset();
                long before = lastSeq;
                for (MessageView m : messages) {
                    if (m.seq() > from.upTo()) {
                        break;
                    }
                    page.writeBytes(markdown ? markdown(m) : jsonLine(m));
                    lastSeq = m.seq();
                    writtenThisRun++;
                }
                if (lastSeq == before) {
                    break; // nothing at or below the end (seqs have no gaps, so this does not happen)
                }
                bytes += write(out, page.toByteArray());
                if (Duration.between(lastCheckpoint, clock.instant()).compareTo(CHECKPOINT_EVERY) >= 0) {
                    out.force(false);
                    run.checkpoint(new Checkpoint(file, bytes, lastSeq, from.upTo(), from.roomName()), lastSeq, from.upTo());
                    lastCheckpoint = clock.instant();
                }
                pace(began, writtenThisRun);
            }
            out.force(false);
        }
        var result = new LinkedHashMap<String, Object>();
        result.put("file", file);
        result.put("fileName", fileName(from.roomName(), markdown));
        result.put("contentType", markdown ? "text/markdown; charset=utf-8" : "application/x-ndjson");
        result.put("format", markdown ? "markdown" : "jsonl");
        result.put("roomId", roomId.toString());
        result.put("messages", lastSeq);
        result.put("bytes", bytes);
        run.checkpoint(new Checkpoint(file, bytes, lastSeq, from.upTo(), from.roomName()), lastSeq, from.upTo());
        run.files().deleteOtherRuns(run.job().id(), file);
        return result;
    }

    /** Keeps an export at or under the configured rate, so it never crowds out the room's live traffic. */
    private void pace(Instant began, long written) throws InterruptedException {
        if (rate <= 0) {
            return;
        }
        long due = written * 1000 / rate - Duration.between(began, clock.instant()).toMillis();
        if (due > 0) {
            Thread.sleep(due);
        }
    }

    private static int write(FileChannel out, byte[] bytes) throws IOException {
        var buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
        return bytes.length;
    }

    private static byte[] jsonLine(MessageView m) {
        byte[] json = Json.bytes(m);
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        return line;
    }

    private static byte[] markdown(MessageView m) {
        // Each message a paragraph: author and time in bold, then the text, its lines kept as hard breaks; a
        // deleted message keeps its place, as in the room; an edited one says so.
        if (m.deleted()) {
            return ("*message deleted* · " + m.createdAt() + "\n\n").getBytes(StandardCharsets.UTF_8);
        }
        String text = m.text().replace("\r\n", "\n").replace("\n", "  \n");
        String edited = m.editedAt() == null ? "" : " (edited " + m.editedAt() + ")";
        return ("**" + m.username() + "** · " + m.createdAt() + edited + "  \n" + text + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    static String fileName(String roomName, boolean markdown) {
        String safe = roomName.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        return "room-" + (safe.isEmpty() ? "export" : safe) + (markdown ? ".md" : ".jsonl");
    }
}

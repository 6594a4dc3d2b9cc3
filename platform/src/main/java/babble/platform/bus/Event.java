package babble.platform.bus;

import babble.platform.json.Json;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A domain event as it travels on the bus: past-tense {@code type} ("message.created"), schema {@code version},
 * the {@code key} of the thing it is about (a room id, a user id), the {@code data}, and {@code meta} such as the
 * request id that caused it. Its subject is {@code events.<type>.<key>}.
 */
public record Event(UUID id, String type, int version, Instant occurredAt, String key, JsonNode data,
                    Map<String, String> meta) {

    public static final String SUBJECT_PREFIX = "events.";

    @JsonIgnore
    public String subject() {
        return subjectOf(type, key);
    }

    public <T> T dataAs(Class<T> type) {
        return Json.convert(data, type);
    }

    public static String subjectOf(String type, String key) {
        return SUBJECT_PREFIX + type + "." + key;
    }

    /** The stream a subject belongs to: its first word after {@code events.} ("room", "message", "user"). */
    public static String streamOf(String subject) {
        int start = SUBJECT_PREFIX.length();
        int dot = subject.indexOf('.', start);
        return dot < 0 ? subject.substring(start) : subject.substring(start, dot);
    }

    public byte[] encode() {
        return Json.bytes(this);
    }

    public static Event decode(byte[] payload) {
        return Json.read(payload, Event.class);
    }
}

package babble.gateway.domain;

import babble.contracts.api.CommentView;
import babble.contracts.api.JobView;
import babble.contracts.api.MessageView;
import babble.contracts.api.PostView;
import babble.contracts.api.UserView;
import babble.contracts.events.ItemModerated;
import babble.contracts.events.MessageChanged;
import babble.platform.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** The server's live frames (docs/API.md, Live), as JSON text. A message frame is built once and shared. */
public final class Frames {
    private Frames() {
    }

    /** {@code {"type":"message","message":{...}}} around already-serialized message JSON. */
    public static String message(String messageJson) {
        return "{\"type\":\"message\",\"message\":" + messageJson + "}";
    }

    public static String message(MessageView message) {
        return message(Json.text(message));
    }

    public static String message(JsonNode messageNode) {
        return message(Json.text(messageNode));
    }

    public static String subscribed(UUID roomId, boolean recovered, long lastSeq, long change) {
        return Json.text(Map.of("type", "subscribed", "roomId", roomId, "recovered", recovered, "lastSeq", lastSeq,
                "change", change));
    }

    /**
     * A message changed: {@code {"type":"message-deleted","roomId","seq","change"}} for a tombstone, otherwise
     * {@code {"type":"message-updated","message":{...},"change"}}.
     */
    public static String changed(MessageChanged changed) {
        return changed(Json.toTree(changed.message()), changed.change());
    }

    /**
     * {@code {"type":"reactions","roomId","seq","reactions":[{"emoji","count"}],"emoji","by","added","change"}}: the
     * message's counts now, and who gave or took back which emoji (a client knows its own "me" from it).
     */
    public static String reactions(JsonNode reacted) {
        var frame = new LinkedHashMap<String, Object>();
        frame.put("type", "reactions");
        frame.put("roomId", reacted.get("roomId").asText());
        frame.put("seq", reacted.get("seq").asLong());
        frame.put("reactions", reacted.get("reactions"));
        frame.put("emoji", reacted.get("emoji").asText());
        frame.put("by", reacted.get("userId").asText());
        frame.put("added", reacted.get("added").asBoolean());
        frame.put("change", reacted.get("change").asLong());
        return Json.text(frame);
    }

    public static String changed(JsonNode message, long change) {
        if (message.path("deleted").asBoolean(false)) {
            var frame = new LinkedHashMap<String, Object>();
            frame.put("type", "message-deleted");
            frame.put("roomId", message.get("roomId").asText());
            frame.put("seq", message.get("seq").asLong());
            frame.put("change", change);
            return Json.text(frame);
        }
        return "{\"type\":\"message-updated\",\"message\":" + Json.text(message) + ",\"change\":" + change + "}";
    }

    public static String unsubscribed(UUID roomId, String reason) {
        return Json.text(Map.of("type", "unsubscribed", "roomId", roomId, "reason", reason));
    }

    public static String pong() {
        return "{\"type\":\"pong\"}";
    }

    public static String welcome(UserView user) {
        return Json.text(Map.of("type", "welcome", "user", user));
    }

    /** {@code {"type":"notification","kind":"followed","by":{user}}}: someone followed the socket's user. */
    public static String followedBy(UserView follower) {
        return Json.text(Map.of("type", "notification", "kind", "followed", "by", follower));
    }

    /** {@code {"type":"notification","kind":"invite","roomId","roomName","by"}}: the user may now join the room. */
    public static String invitedBy(UUID roomId, String roomName, UserView by) {
        return notification("invite", "roomId", roomId, "roomName", roomName, "by", by);
    }

    /** {@code {"type":"notification","kind":"direct","room":{...},"by"}}: a direct room opened with the user. */
    public static String directRoomBy(babble.contracts.api.RoomView room, UserView by) {
        return notification("direct", "room", room, "by", by);
    }

    /** {@code {"type":"notification","kind":"mention","roomId","seq","by":{user}}}: a message names the socket's user. */
    public static String mentionedBy(UUID roomId, long seq, UserView author) {
        return notification("mention", "roomId", roomId, "seq", seq, "by", author);
    }

    /** A notification frame of one kind, its fields in the order given (name, value, name, value...). */
    private static String notification(String kind, Object... fields) {
        var frame = new LinkedHashMap<String, Object>();
        frame.put("type", "notification");
        frame.put("kind", kind);
        for (int i = 0; i < fields.length; i += 2) {
            frame.put((String) fields[i], fields[i + 1]);
        }
        return Json.text(frame);
    }

    /** {@code {"type":"typing","roomId","user":{user}}}: someone is typing in a room (sent at most every 3 s). */
    /** {@code {"type":"presence","userId","online"}}. */
    public static String presence(UUID userId, boolean online) {
        return Json.text(Map.of("type", "presence", "userId", userId, "online", online));
    }

    public static String typing(JsonNode typing) {
        var frame = new LinkedHashMap<String, Object>();
        frame.put("type", "typing");
        frame.put("roomId", typing.get("roomId").asText());
        frame.put("user", typing.get("user"));
        return Json.text(frame);
    }

    /** {@code {"type":"post","post":{...}}}. */
    public static String post(PostView post) {
        return Json.text(Map.of("type", "post", "post", post));
    }

    /** {@code {"type":"job","job":{...}}}: one of the socket user's jobs changed status or made progress. */
    public static String job(JobView job) {
        return Json.text(Map.of("type", "job", "job", job));
    }

    /** {@code {"type":"comment","comment":{...}}}. */
    public static String comment(CommentView comment) {
        return Json.text(Map.of("type", "comment", "comment", comment));
    }

    /** {@code {"type":"moderated","kind","id","postId","roomId","status","reason"}}: a decision on a post or comment. */
    public static String moderated(ItemModerated m) {
        var frame = new LinkedHashMap<String, Object>();
        frame.put("type", "moderated");
        frame.put("kind", m.kind());
        frame.put("id", m.id());
        frame.put("postId", m.postId());
        frame.put("roomId", m.roomId());
        frame.put("status", m.status());
        frame.put("reason", m.reason());
        return Json.text(frame);
    }

    public static String error(int status, String title, UUID roomId) {
        var frame = new LinkedHashMap<String, Object>();
        frame.put("type", "error");
        frame.put("status", status);
        frame.put("title", title);
        if (roomId != null) {
            frame.put("roomId", roomId);
        }
        return Json.text(frame);
    }
}

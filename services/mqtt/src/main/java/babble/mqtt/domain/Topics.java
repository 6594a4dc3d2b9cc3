package babble.mqtt.domain;

import babble.contracts.api.MqttBridge;
import java.util.Optional;
import java.util.UUID;

/** The bridge's topic names: {@code <prefix>/rooms/<roomId>/messages} out, {@code <prefix>/rooms/<roomId>/post} in. */
public record Topics(String prefix) {

    public String messages(UUID roomId) {
        return prefix + "/rooms/" + roomId + "/messages";
    }

    public String post(UUID roomId) {
        return prefix + "/rooms/" + roomId + "/post";
    }

    /** The subscription that receives every room's posts. */
    public String allPosts() {
        return prefix + "/rooms/+/post";
    }

    public MqttBridge.Topics of(UUID roomId) {
        return new MqttBridge.Topics(messages(roomId), post(roomId));
    }

    /** The room a post topic names, if it is one. */
    public Optional<UUID> roomOfPost(String topic) {
        String head = prefix + "/rooms/";
        if (!topic.startsWith(head) || !topic.endsWith("/post")) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(topic.substring(head.length(), topic.length() - "/post".length())));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

package babble.messages.domain;

import java.util.List;
import java.util.Set;

/**
 * The emoji a message can be given, by name: a fixed set of 64, so reactions stay comparable and a client can show
 * all of them (the web UI holds the same names with their characters, in {@code js/reactions.js}).
 */
public final class Emoji {
    public static final List<String> NAMES = List.of(
            "thumbsup", "thumbsdown", "heart", "joy", "smile", "laughing", "grin", "wink",
            "blush", "heart_eyes", "thinking", "neutral_face", "confused", "cry", "sob", "angry",
            "scream", "open_mouth", "sunglasses", "sweat_smile", "upside_down", "relieved", "sleeping", "nerd",
            "partying", "hugging", "pray", "clap", "wave", "raised_hands", "ok_hand", "muscle",
            "point_up", "v", "handshake", "eyes", "fire", "star", "sparkles", "tada",
            "rocket", "100", "check", "x", "warning", "question", "exclamation", "bulb",
            "zap", "boom", "coffee", "beer", "pizza", "cake", "gift", "trophy",
            "bug", "lock", "memo", "calendar", "skull", "rainbow", "sun", "moon");
    private static final Set<String> KNOWN = Set.copyOf(NAMES);

    private Emoji() {
    }

    public static boolean isKnown(String name) {
        return name != null && KNOWN.contains(name);
    }
}

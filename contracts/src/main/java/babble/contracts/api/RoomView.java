package babble.contracts.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * A room: {@code POST /rooms}, {@code GET /rooms/{id}}. {@code visibility} is {@code public} (listed, anyone
 * signed in joins) or {@code private} (members, and those they invited, only); a direct room ({@code POST /dms})
 * is private and {@code direct}, with exactly its two users.
 */
public record RoomView(UUID id, String name, String topic, UUID createdBy, Instant createdAt, int memberCount,
                       String visibility, @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean direct) {
    public static final String PUBLIC = "public";
    public static final String PRIVATE = "private";

    public RoomView {
        visibility = visibility == null ? PUBLIC : visibility; // events written before rooms had a visibility
    }

    /** A public room. */
    public RoomView(UUID id, String name, String topic, UUID createdBy, Instant createdAt, int memberCount) {
        this(id, name, topic, createdBy, createdAt, memberCount, PUBLIC, false);
    }

    public boolean isPrivate() {
        return PRIVATE.equals(visibility);
    }
}

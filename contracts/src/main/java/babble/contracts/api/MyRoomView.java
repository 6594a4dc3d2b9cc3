package babble.contracts.api;

import java.time.Instant;
import java.util.UUID;

/**
 * A room the caller is in, with where they have read up to: {@code GET /users/me/rooms}. {@code lastChange} is the
 * room's latest edit, deletion or reaction (its change number), from which a live subscription may resume;
 * {@code mentions} the messages after the read marker that mention the caller; {@code visibility} and {@code direct}
 * as in {@link RoomView}.
 */
public record MyRoomView(UUID id, String name, String topic, UUID createdBy, Instant createdAt, int memberCount,
                         long lastSeq, long lastReadSeq, long unread, long lastChange, long mentions,
                         String visibility, @com.fasterxml.jackson.annotation.JsonInclude(
                                 com.fasterxml.jackson.annotation.JsonInclude.Include.NON_DEFAULT) boolean direct) {

}

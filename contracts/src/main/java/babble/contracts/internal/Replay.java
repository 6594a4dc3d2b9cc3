package babble.contracts.internal;

import babble.contracts.api.MessageView;
import java.util.List;

/**
 * messages → gateway {@code GET /internal/rooms/{id}/replay?after=SEQ&max=N}: the messages after a seq, for a
 * live client catching up. {@code complete} is false (and {@code messages} empty) when more than {@code max}
 * were missed; {@code lastSeq} is the room's last seq either way.
 */
public record Replay(List<MessageView> messages, long lastSeq, boolean complete) {
}

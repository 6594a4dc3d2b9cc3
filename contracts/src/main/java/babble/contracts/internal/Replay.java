package babble.contracts.internal;

import babble.contracts.api.MessageView;
import babble.contracts.events.MessageChanged;
import java.util.List;

/**
 * messages → gateway {@code GET /internal/rooms/{id}/replay?after=SEQ&afterChange=C&max=N}: what a live client
 * missed. {@code messages}: those after the seq, as they are now. {@code changes}: the messages up to the seq that
 * were edited or deleted after change C, each once as it is now (a tombstone when deleted) with the number of its
 * latest change, in change order. {@code complete} is false (and both lists empty) when the two together are more
 * than {@code max}. {@code lastSeq} and {@code lastChange} are the room's either way.
 */
public record Replay(List<MessageView> messages, long lastSeq, boolean complete, List<MessageChanged> changes,
                     long lastChange) {
}

package babble.contracts.internal;

import babble.contracts.api.MessageView;
import java.util.List;

/** messages → mqtt: one outcome per post, in order: the message, or the status and detail of why not. */
public record MessageBatchResult(List<Outcome> results) {
    public record Outcome(MessageView message, Integer status, String detail) {
    }
}

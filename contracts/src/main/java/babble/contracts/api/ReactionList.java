package babble.contracts.api;

import java.util.List;

/** {@code PUT|DELETE /rooms/{id}/messages/{seq}/reactions/{emoji}}: the message's reactions now, with "me". */
public record ReactionList(List<MessageView.Reaction> reactions) {
}

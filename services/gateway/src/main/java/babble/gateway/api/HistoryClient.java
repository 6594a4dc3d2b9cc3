package babble.gateway.api;

import babble.contracts.internal.Replay;
import babble.gateway.domain.History;
import babble.platform.client.ServiceClient;
import babble.platform.identity.Identity;
import java.util.UUID;

/** Reads missed messages and changes from the messages service for live catch-up. */
public final class HistoryClient implements History {
    private static final Identity GATEWAY = Identity.ofService("gateway");

    private final ServiceClient messages;

    public HistoryClient(ServiceClient messages) {
        this.messages = messages;
    }

    @Override
    public Replay after(UUID roomId, long afterSeq, long afterChange, int max) {
        return messages.get("/internal/rooms/" + roomId + "/replay?after=" + afterSeq + "&afterChange=" + afterChange
                + "&max=" + max, GATEWAY, Replay.class);
    }
}

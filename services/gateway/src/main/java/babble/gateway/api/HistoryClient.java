package babble.gateway.api;

import babble.contracts.internal.Replay;
import babble.gateway.domain.History;
import babble.platform.client.ServiceClient;
import babble.platform.identity.Identity;
import java.util.UUID;

/** Reads missed messages from the messages service for live catch-up. */
public final class HistoryClient implements History {
    private static final Identity GATEWAY = Identity.ofService("gateway");

    private final ServiceClient messages;

    public HistoryClient(ServiceClient messages) {
        this.messages = messages;
    }

    @Override
    public Replay after(UUID roomId, long afterSeq, int max) {
        return messages.get("/internal/rooms/" + roomId + "/replay?after=" + afterSeq + "&max=" + max, GATEWAY, Replay.class);
    }
}

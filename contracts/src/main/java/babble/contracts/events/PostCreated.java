package babble.contracts.events;

import babble.contracts.api.PostView;

/** A post was written (status pending, score 0). Key: the room id. */
public record PostCreated(PostView post) {
    public static final String TYPE = "post.created";
}

package babble.recommend.api;

import babble.contracts.api.PostList;
import babble.contracts.api.PostView;
import babble.contracts.internal.PostLookup;
import babble.platform.client.ServiceClient;
import babble.platform.client.ServiceRequest;
import babble.platform.identity.Identity;
import babble.recommend.domain.PostReader;
import java.util.List;
import java.util.UUID;

/** Asks the query service for a page of posts as the reader sees them, in one call. */
public final class QueryClient implements PostReader {
    private final ServiceClient query;

    public QueryClient(ServiceClient query) {
        this.query = query;
    }

    @Override
    public List<PostView> readable(Identity reader, List<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        // A read, so safe to repeat although it is a POST (the ids travel in the body).
        var request = ServiceRequest.post("/internal/posts/lookup", reader.relayedBy("recommend"), new PostLookup(ids))
                .idempotent();
        return query.send(request).as(PostList.class).posts();
    }
}

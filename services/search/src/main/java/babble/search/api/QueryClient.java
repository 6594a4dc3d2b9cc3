package babble.search.api;

import babble.contracts.api.PostList;
import babble.contracts.internal.PostLookup;
import babble.platform.client.ServiceClient;
import babble.platform.identity.Identity;
import babble.search.domain.SimilarPosts;
import java.util.List;
import java.util.UUID;

/** Reads posts from the query service as the calling user sees them (their votes included). */
public final class QueryClient implements SimilarPosts.PostDirectory {
    private final ServiceClient query;

    public QueryClient(ServiceClient query) {
        this.query = query;
    }

    @Override
    public PostList lookup(Identity caller, List<UUID> ids) {
        return query.post("/internal/posts/lookup", caller.relayedBy("search"), new PostLookup(ids), PostList.class);
    }
}

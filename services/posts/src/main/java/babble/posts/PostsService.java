package babble.posts;

import babble.posts.api.PostsApi;
import babble.posts.api.RoomsClient;
import babble.posts.domain.PostImports;
import babble.posts.domain.Posts;
import babble.posts.events.PostEvents;
import babble.posts.store.PostStore;
import babble.platform.Chassis;
import babble.platform.Service;

/**
 * Posts, comments and votes in rooms (seed 002's write side), and imported posts (seed 004); moderation and reads
 * follow by events.
 */
public final class PostsService implements Service {

    @Override
    public String name() {
        return "posts";
    }

    @Override
    public void start(Chassis chassis) {
        var store = new PostStore();
        var events = new PostEvents(chassis.outbox());
        var rooms = new RoomsClient(chassis.client("rooms"));
        var posts = new Posts(chassis.database(), store, events, rooms, chassis.clock());
        var imports = new PostImports(chassis.database(), store, events, rooms);
        chassis.http(routes -> new PostsApi(posts, imports).register(routes));
    }
}

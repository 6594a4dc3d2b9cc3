package babble.posts;

import babble.posts.api.PostsApi;
import babble.posts.api.RoomsClient;
import babble.posts.domain.Posts;
import babble.posts.events.PostEvents;
import babble.posts.store.PostStore;
import babble.platform.Chassis;
import babble.platform.Service;

/** Posts, comments and votes in rooms (seed 002's write side); moderation and reads follow by events. */
public final class PostsService implements Service {

    @Override
    public String name() {
        return "posts";
    }

    @Override
    public void start(Chassis chassis) {
        var posts = new Posts(chassis.database(), new PostStore(), new PostEvents(chassis.outbox()),
                new RoomsClient(chassis.client("rooms")), chassis.clock());
        chassis.http(routes -> new PostsApi(posts).register(routes));
    }
}

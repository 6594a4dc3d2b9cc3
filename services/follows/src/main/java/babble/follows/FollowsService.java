package babble.follows;

import babble.follows.api.FollowsApi;
import babble.follows.api.UsersClient;
import babble.follows.domain.Follows;
import babble.follows.domain.People;
import babble.follows.events.FollowEvents;
import babble.follows.events.UserEventsConsumer;
import babble.follows.store.FollowStore;
import babble.follows.store.UserStore;
import babble.platform.Chassis;
import babble.platform.Service;

/** Who follows whom (seed 000's follow service), with its own copy of user profiles. */
public final class FollowsService implements Service {

    @Override
    public String name() {
        return "follows";
    }

    @Override
    public void start(Chassis chassis) {
        var db = chassis.database();
        var userStore = new UserStore();
        var people = new People(db, userStore, new UsersClient(chassis.client("users")));
        var follows = new Follows(db, new FollowStore(), people, new FollowEvents(chassis.outbox()), chassis.clock());
        chassis.http(routes -> new FollowsApi(follows).register(routes));
        chassis.consume("profiles", "events.user.registered.>", new UserEventsConsumer(userStore)::apply);
    }
}

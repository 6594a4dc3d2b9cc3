package babble.app;

import babble.bot.BotService;
import babble.counter.CounterService;
import babble.follows.FollowsService;
import babble.gateway.GatewayService;
import babble.jobs.JobsService;
import babble.messages.MessagesService;
import babble.moderation.ModerationService;
import babble.mqtt.MqttService;
import babble.platform.Service;
import babble.posts.PostsService;
import babble.query.QueryService;
import babble.quotes.QuotesService;
import babble.recommend.RecommendService;
import babble.search.SearchService;
import babble.tags.TagsService;
import babble.rooms.RoomsService;
import babble.users.UsersService;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Every service Babble has, in start order (a service after those it calls), with the port it uses when it
 * runs in its own process. The all-in-one starts this list; nothing else knows it.
 */
public final class Catalog {
    public record Entry(String name, int defaultPort, Supplier<Service> factory) {
    }

    private static final List<Entry> ENTRIES = List.of(
            new Entry("users", 8101, UsersService::new),
            new Entry("rooms", 8102, RoomsService::new),
            new Entry("messages", 8103, MessagesService::new),
            new Entry("quotes", 8104, QuotesService::new),
            new Entry("bot", 8105, BotService::new),
            new Entry("follows", 8106, FollowsService::new),
            new Entry("counter", 8107, CounterService::new),
            new Entry("posts", 8108, PostsService::new),
            new Entry("moderation", 8109, ModerationService::new),
            new Entry("query", 8110, QueryService::new),
            new Entry("tags", 8113, TagsService::new),
            new Entry("search", 8114, SearchService::new),
            new Entry("recommend", 8115, RecommendService::new),
            new Entry("jobs", 8111, JobsService::new),
            new Entry("mqtt", 8112, MqttService::new),
            new Entry("gateway", 8080, GatewayService::new));

    private Catalog() {
    }

    public static List<Entry> entries() {
        return ENTRIES;
    }

    public static Optional<Entry> find(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return ENTRIES.stream().filter(e -> e.name().equals(wanted)).findFirst();
    }

    public static List<String> names() {
        return ENTRIES.stream().map(Entry::name).toList();
    }
}

package babble.search.domain;

import static org.assertj.core.api.Assertions.assertThat;

import babble.contracts.api.PostView;
import babble.contracts.api.SearchResult;
import babble.contracts.api.SearchResults;
import babble.contracts.api.UserView;
import babble.platform.identity.Identity;
import babble.search.store.SearchIndex;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Searches over more matches than are counted while the top hits are collected: the total is still exact in
 * every order and on every page, and the highlights come from the hits' own title and text.
 */
class SearchesTest {
    /** Posts that match "rhubarb" strongly (in the title), first in the index: they fill the top hits. */
    private static final int STRONG = 1_500;
    /** Then more that match weakly (once, far into a long text): relevance skips them, uncounted. */
    private static final int MATCHING = 5_000;
    private static final int OTHERS = 300;

    @TempDir
    Path dir;
    private SearchIndex index;
    private Searches searches;
    private final Identity alice = Identity.ofUser("test", UUID.randomUUID(), "alice", "Alice");
    private final UUID room = UUID.randomUUID();
    private final Instant at = Instant.parse("2026-01-02T03:04:05Z");

    @BeforeEach
    void fill() throws Exception {
        var analyzer = new EnglishAnalyzer();
        index = SearchIndex.open(dir, analyzer);
        var items = new ArrayList<ItemState>();
        var author = new UserView(alice.userId(), "alice", "Alice");
        for (int i = 0; i < MATCHING + OTHERS; i++) {
            boolean strong = i < STRONG;
            boolean weak = !strong && i < MATCHING;
            String title = strong ? "rhubarb post " + i + " rhubarb" : weak ? "post " + i : "turnip post " + i;
            String body = strong ? (i % 2 == 0 ? "a rhubarb crumble" : "a pie")
                    : weak ? "words ".repeat(60) + "rhubarb" : "a pie";
            var post = new PostView(UUID.randomUUID(), room, author, title, body, null, List.of(), i % 50, 0, 0,
                    ItemState.APPROVED, null, at.plusSeconds(i));
            items.add(new ItemState(ItemState.POST, post.id(), room, null, ItemState.APPROVED, 1, false, i % 50, 1,
                    true, post, null, null));
        }
        index.write(items);
        index.commit();
        var memberships = new Memberships(userId -> Set.of(), Duration.ofMinutes(1), 10);
        searches = new Searches(index, new SearchSyntax(analyzer), new Highlights(analyzer), memberships);
    }

    @AfterEach
    void close() throws Exception {
        index.close();
    }

    @Test
    void theTotalIsExactPastTheCountingThresholdInEveryOrderAndOnEveryPage() {
        for (String sort : new String[] {"relevance", "new", "top"}) {
            var seen = new HashSet<UUID>();
            String cursor = null;
            int pages = 0;
            do {
                SearchResults page = searches.search(alice,
                        SearchRequest.of("rhubarb", "post", null, null, null, sort, 50, cursor));
                assertThat(page.total()).as(sort + " page " + pages).isEqualTo(MATCHING);
                page.results().forEach(r -> assertThat(seen.add(r.id())).as("repeated " + r.id()).isTrue());
                cursor = page.next();
                pages++;
            } while (cursor != null && pages < 3);
            assertThat(seen).hasSize(150);
        }
    }

    @Test
    void highlightsAreTheMatchesInTheHitsOwnTitleAndText() {
        SearchResults found = searches.search(alice, SearchRequest.of("crumble", "post", null, null, null, "new", 20, null));
        assertThat(found.total()).isEqualTo(STRONG / 2);
        for (SearchResult hit : found.results()) {
            assertThat(hit.text()).endsWith("a rhubarb crumble");
            int[] span = hit.highlights().getFirst();
            assertThat(hit.text().substring(span[0], span[1])).isEqualTo("crumble");
            assertThat(hit.titleHighlights()).isEmpty();
        }
        SearchResult top = searches.search(alice, SearchRequest.of("rhubarb", "post", null, null, null, null, 1, null))
                .results().getFirst();
        assertThat(top.titleHighlights()).isNotEmpty()
                .allSatisfy(s -> assertThat(top.title().substring(s[0], s[1])).isEqualTo("rhubarb"));
    }
}

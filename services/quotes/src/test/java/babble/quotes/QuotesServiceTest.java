package babble.quotes;

import static org.assertj.core.api.Assertions.assertThat;

import babble.platform.identity.Identity;
import babble.platform.testing.TestHarness;
import babble.quotes.domain.Quote;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The quotes service on its real store, with the bundled data set loaded by its migration. */
class QuotesServiceTest {
    static final Identity CALLER = TestHarness.user("reader");
    static TestHarness harness;

    @BeforeAll
    static void start() {
        harness = TestHarness.start(new QuotesService());
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private Quote random(String query) {
        var reply = harness.call("quotes", "GET", "/api/v1/quotes/random" + query, null, CALLER);
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return reply.as(Quote.class);
    }

    @Test
    void moreThanAThousandAttributedQuotesAreBundled() {
        var db = harness.launcher().host("quotes").orElseThrow().chassis().database();
        int count = db.withHandle(h -> h.createQuery("select count(*) from quotes").mapTo(Integer.class).one());
        int unattributed = db.withHandle(h -> h.createQuery("select count(*) from quotes where trim(author) = ''")
                .mapTo(Integer.class).one());

        // an odd number of double quotes means a title or remark was cut into the name ('Mark Twain "A Connecticut')
        int brokenNames = db.withHandle(h -> h.createQuery(
                "select count(*) from quotes where mod(length(author) - length(replace(author, '\"', '')), 2) = 1")
                .mapTo(Integer.class).one());

        assertThat(count).isGreaterThan(1_000);
        assertThat(unattributed).isZero();
        assertThat(brokenNames).isZero();
    }

    @Test
    void aRandomQuoteIsDrawnAgainOnEveryCall() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Quote quote = random("");
            assertThat(quote.text()).isNotBlank();
            assertThat(quote.author()).isNotBlank();
            ids.add(quote.id());
        }

        assertThat(ids).hasSizeGreaterThan(90); // 100 draws from 4,000+: repeats are rare
    }

    @Test
    void randomByAuthorOnlyPicksThatAuthorAndCoversTheirQuotes() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Quote quote = random("?author=Mark%20TWAIN");
            assertThat(quote.author().toLowerCase(Locale.ROOT)).contains("mark").contains("twain");
            ids.add(quote.id());
        }

        assertThat(ids).hasSizeGreaterThan(60); // Twain has ~100 quotes; a uniform draw sees most of them
    }

    @Test
    void anAuthorWithNoQuotesIs404() {
        var reply = harness.call("quotes", "GET", "/api/v1/quotes/random?author=nobody%20at%20all", null, CALLER);

        assertThat(reply.status()).isEqualTo(404);
    }

    @Test
    void wildcardsInTheAuthorAreTakenLiterally() {
        assertThat(harness.call("quotes", "GET", "/api/v1/quotes/random?author=%25", null, CALLER).status()).isEqualTo(404);
        for (int i = 0; i < 20; i++) {
            assertThat(random("?author=_").author()).contains("_"); // a literal underscore, not "any character"
        }
    }

    @Test
    void quotesArePagedWithACursor() {
        JsonNode first = harness.call("quotes", "GET", "/api/v1/quotes?author=einstein&limit=10", null, CALLER).json();
        JsonNode second = harness.call("quotes", "GET", "/api/v1/quotes?author=einstein&limit=10&cursor="
                + first.get("next").asText(), null, CALLER).json();

        assertThat(first.get("quotes").size()).isEqualTo(10);
        assertThat(second.get("quotes").size()).isPositive();
        assertThat(second.get("quotes").get(0).get("id").asInt()).isGreaterThan(first.get("quotes").get(9).get("id").asInt());
        assertThat(harness.call("quotes", "GET", "/api/v1/quotes?limit=0", null, CALLER).status()).isEqualTo(422);
    }
}

package babble.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import babble.client.UserSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.WebSocketRoute;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The web UI in real browsers (Debian's chromium driven by Playwright): two people chatting live, rooms,
 * the bot, text that must never become HTML, catching up after the network drops, a room's posts with
 * votes, comments and moderation, jobs (a room's export, followed live and downloaded) and the MQTT bridge,
 * and topics: search with marked words, the feed as the home, topic pages with follow and mute, private labels,
 * similar posts, and a reddit import. Screenshots go to the test reports (failsafe-reports/screenshots).
 */
class BrowserIT extends E2E {
    private static final LocatorAssertions.HasCountOptions SOON = new LocatorAssertions.HasCountOptions().setTimeout(10_000);
    /** One try of an {@link #eventually} check: search, listings and the feed follow the writes by events. */
    private static final LocatorAssertions.HasCountOptions SHORTLY = new LocatorAssertions.HasCountOptions().setTimeout(4_000);
    private static final Path SCREENSHOTS = Path.of(System.getProperty("babble.e2e.screenshots", "target/screenshots"));
    private static Playwright playwright;
    private static Browser browser;
    private final List<BrowserContext> contexts = new CopyOnWriteArrayList<>();
    private String testName;

    @BeforeAll
    static void launchBrowser() {
        playwright = Playwright.create();
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Path.of(System.getProperty("babble.e2e.chromium", "/usr/bin/chromium")))
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @BeforeEach
    void name(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void closeContexts() {
        contexts.forEach(BrowserContext::close);
    }

    private Page newPage(int width, int height) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height));
        contexts.add(context);
        Page page = context.newPage();
        page.onDialog(dialog -> {
            if (dialog.type().equals("confirm")) {
                dialog.accept();
            } else {
                throw new AssertionError("unexpected " + dialog.type() + " dialog: " + dialog.message());
            }
        });
        return page;
    }

    private Page signUp(String prefix) {
        return signUp(prefix, 1280, 800);
    }

    private Page signUp(String prefix, int width, int height) {
        return signUp(prefix, width, height, null);
    }

    /** Signs up; with {@code frames}, the page's live socket goes through them (see {@link PostFrames}). */
    private Page signUp(String prefix, int width, int height, PostFrames frames) {
        Page page = newPage(width, height);
        if (frames != null) {
            frames.route(page);
        }
        page.navigate(deployment.baseUrl().toString());
        page.getByTestId("auth-switch").click();
        page.getByTestId("username").fill(uniqueName(prefix));
        page.getByTestId("password").fill(PASSWORD);
        page.getByTestId("auth-submit").click();
        assertThat(page.getByTestId("me")).isVisible();
        return page;
    }

    /** Signs in as a user made through the REST client. */
    private Page signIn(UserSession user) {
        Page page = newPage(1280, 800);
        page.navigate(deployment.baseUrl().toString());
        page.getByTestId("username").fill(user.user().username());
        page.getByTestId("password").fill(PASSWORD);
        page.getByTestId("auth-submit").click();
        assertThat(page.getByTestId("me")).isVisible();
        return page;
    }

    private static void openJobs(Page page) {
        page.getByTestId("view-jobs").click();
        assertThat(page.getByTestId("view-jobs")).hasAttribute("aria-pressed", "true");
        assertThat(page.getByTestId("jobs-view")).isVisible();
    }

    private static Locator jobRow(Page page, String jobId) {
        return page.locator("[data-testid=job][data-id=\"" + jobId + "\"]");
    }

    private static void createRoom(Page page, String name) {
        assertThat(page.locator("main[data-loaded]")).isAttached(); // the room list has loaded
        var emptyStateButton = page.getByTestId("create-room-empty");
        (emptyStateButton.isVisible() ? emptyStateButton : page.getByTestId("create-room")).click();
        page.getByTestId("room-name").fill(name);
        page.getByTestId("create-room-submit").click();
        assertThat(page.getByTestId("room-title")).hasText("# " + name);
    }

    private static void joinRoom(Page page, String name) {
        page.getByTestId("browse-rooms").click();
        var join = page.locator("[data-testid=join][data-room=\"" + name + "\"]");
        var rows = page.getByTestId("browse-list").locator("li");
        rows.first().waitFor();
        // A deployment other tests have filled lists many rooms: page through them until this one shows.
        for (int pages = 0; join.count() == 0 && page.getByTestId("browse-more").isVisible() && pages < 200; pages++) {
            int shown = rows.count();
            page.getByTestId("browse-more").click();
            assertThat(rows).not().hasCount(shown);
        }
        join.click();
        assertThat(page.getByTestId("room-title")).hasText("# " + name);
    }

    /** Two people in a room: the first signs up and creates it, the second signs up and joins it, both in the UI. */
    private record TwoInARoom(Page first, Page second) {
    }

    private TwoInARoom twoInARoom(String first, String second, String room) {
        Page creator = signUp(first);
        createRoom(creator, room);
        Page joiner = signUp(second);
        joinRoom(joiner, room);
        return new TwoInARoom(creator, joiner);
    }

    /** The message item (the whole {@code li}) whose text has {@code text}. */
    private static Locator messageItem(Page page, String text) {
        return page.locator("li.message", new Page.LocatorOptions().setHas(messagesWith(page, text)));
    }

    private static void say(Page page, String text) {
        page.getByTestId("composer").fill(text);
        page.getByTestId("composer").press("Enter");
    }

    private static com.microsoft.playwright.Locator messagesWith(Page page, String text) {
        return page.getByTestId("message-text").filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText(text));
    }

    private static void openPosts(Page page) {
        page.getByTestId("view-posts").click();
        assertThat(page.getByTestId("view-posts")).hasAttribute("aria-pressed", "true");
        assertThat(page.getByTestId("posts-view")).isVisible();
    }

    private static void newPost(Page page, String title) {
        page.getByTestId("new-post").click();
        page.getByTestId("post-title-input").fill(title);
        page.getByTestId("post-submit").click();
    }

    private static Locator postWith(Page page, String title) {
        return page.getByTestId("post").filter(new Locator.FilterOptions().setHasText(title));
    }

    private static void comment(Page page, String text) {
        page.getByTestId("comment-input").fill(text);
        page.getByTestId("comment-submit").click();
        assertThat(page.getByTestId("comment-input")).isEmpty(); // sent: the box is cleared on the answer
    }

    private static Locator commentWith(Page page, String text) {
        return page.getByTestId("comment").filter(new Locator.FilterOptions().setHasText(text));
    }

    /**
     * Waits until moderation's decision shows on {@code item} (its data-status); the decision comes by a live
     * frame, and if none arrives {@code reload} reads it again, a few times.
     */
    private static void awaitStatus(Locator item, String status, Runnable reload) {
        var shortly = new LocatorAssertions.HasAttributeOptions().setTimeout(4_000);
        eventually(() -> assertThat(item).hasAttribute("data-status", status, shortly), reload);
    }

    /** Runs {@code check} (an auto-waiting assertion) until it passes, with {@code reload} between tries. */
    private static void eventually(Runnable check, Runnable reload) {
        for (int attempt = 1; ; attempt++) {
            try {
                check.run();
                return;
            } catch (AssertionError notYet) {
                if (attempt == 4) {
                    throw notYet;
                }
                reload.run();
            }
        }
    }

    /**
     * A page's live socket with the server's post, comment and moderated frames held back until {@link #release}:
     * moderation decides within moments, so this is how a test gets to see an item still awaiting it. Playwright
     * calls the handlers on the test's thread, while the test is inside a Playwright call.
     */
    private static final class PostFrames {
        private static final Pattern POSTS_FRAME = Pattern.compile("\"type\"\\s*:\\s*\"(post|comment|moderated)\"");
        private final List<String> held = new CopyOnWriteArrayList<>();
        private volatile boolean holding = true;
        private volatile WebSocketRoute toPage;

        void route(Page page) {
            page.routeWebSocket(url -> url.contains("/api/v1/live"), socket -> {
                toPage = socket;
                socket.connectToServer().onMessage(frame -> {
                    String text = frame.text();
                    if (holding && POSTS_FRAME.matcher(text).find()) {
                        held.add(text);
                    } else {
                        socket.send(text);
                    }
                });
            });
        }

        /** Lets the held frames through, in order, and every later one at once. */
        void release() {
            holding = false;
            for (String text : held) {
                toPage.send(text);
            }
            held.clear();
        }
    }

    /** A post made through the API, once moderation approved it. */
    private static String approvedPost(UserSession author, UUID room, Map<String, ?> body) {
        String id = PostsApi.newPost(author, room, body).get("id").asText();
        PostsApi.awaitPost(author, id, "approved");
        return id;
    }

    /** A made-up word no other test uses: letters only, no vowel but its first, so no analyzer splits or stems it. */
    private static String word() {
        String consonants = "bcdfghjklmnpqrtvwxz";
        var letters = new StringBuilder("zo");
        UUID.randomUUID().toString().replace("-", "").chars().limit(10)
                .forEach(c -> letters.append(consonants.charAt(Character.digit(c, 16) % consonants.length())));
        return letters.toString();
    }

    private static String tag() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private void navigateTo(Page page, String hash) {
        page.navigate(deployment.baseUrl().resolve("/" + hash).toString());
    }

    private static Locator cardWith(Locator list, String title) {
        return list.getByTestId("post-card").filter(new Locator.FilterOptions().setHasText(title));
    }

    private void screenshot(Page page, String what) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(testName + "-" + what + ".png")));
    }

    @Test
    void twoPeopleCreateJoinAndChatLive() {
        String room = "lounge " + uniqueName("r").substring(2, 8);
        var people = twoInARoom("ada", "bob", room);
        Page ada = people.first();
        Page bob = people.second();

        say(ada, "Hi Bob, welcome!");
        assertThat(ada.getByTestId("message-text").filter(new com.microsoft.playwright.Locator.FilterOptions()
                .setHasText("Hi Bob"))).hasCount(1); // at once, before any answer: shown optimistically
        assertThat(messagesWith(bob, "Hi Bob, welcome!")).hasCount(1, SOON);
        say(bob, "Thanks Ada 👋");
        assertThat(messagesWith(ada, "Thanks Ada 👋")).hasCount(1, SOON);

        assertThat(messagesWith(ada, "Hi Bob, welcome!")).hasCount(1); // our own message, once
        assertThat(ada.getByTestId("pending-message")).hasCount(0);
        screenshot(ada, "ada");
        screenshot(bob, "bob");
    }

    @Test
    void theBotsQuoteReplyAppears() {
        Page cleo = signUp("cleo");
        createRoom(cleo, "quotes " + uniqueName("r").substring(2, 8));

        say(cleo, "!quote");

        var botMessages = cleo.locator("li.message.bot");
        assertThat(botMessages).hasCount(1, SOON);
        assertThat(botMessages.getByTestId("message-text")).containsText("\u2014");
        screenshot(cleo, "bot");
    }

    @Test
    void markupInAMessageIsShownAsLiteralText() {
        Page dee = signUp("dee");
        String room = "xss " + uniqueName("r").substring(2, 8);
        createRoom(dee, room);
        Page eve = signUp("eve");
        joinRoom(eve, room);
        String attack = "<img src=x onerror=alert(1)> <b>bold?</b> <script>alert(2)</script>";

        say(dee, attack);

        for (Page page : List.of(dee, eve)) {
            assertThat(messagesWith(page, "<img src=x onerror=alert(1)>")).hasCount(1, SOON);
            assertThat(messagesWith(page, "<img src=x")).hasText(attack);
            assertThat(page.locator(".messages img, .messages b, .messages script")).hasCount(0);
        }
        screenshot(eve, "literal");
    }

    @Test
    void afterTheNetworkDropsTheChatCatchesUpWithEachMessageOnce() {
        String room = "offline " + uniqueName("r").substring(2, 8);
        var people = twoInARoom("fay", "gus", room);
        Page fay = people.first();
        Page gus = people.second();
        say(fay, "before the drop");
        assertThat(messagesWith(gus, "before the drop")).hasCount(1, SOON);

        gus.context().setOffline(true);
        assertThat(gus.getByTestId("connection")).hasText("Reconnecting…");
        screenshot(gus, "reconnecting");
        for (int i = 1; i <= 3; i++) {
            say(fay, "while you were away " + i);
        }
        assertThat(messagesWith(fay, "while you were away 3")).hasCount(1, SOON);
        gus.context().setOffline(false);

        for (int i = 1; i <= 3; i++) {
            assertThat(messagesWith(gus, "while you were away " + i)).hasCount(1, SOON);
        }
        assertThat(gus.getByTestId("connection")).isHidden();
        assertThat(messagesWith(gus, "before the drop")).hasCount(1);
        screenshot(gus, "caught-up");
    }

    @Test
    void theAuthorEditsAndDeletesFromTheMessageAndOthersSeeItLiveAndAfterBeingAway() {
        String room = "edits " + uniqueName("r").substring(2, 8);
        var people = twoInARoom("hana", "ivo", room);
        Page hana = people.first();
        Page ivo = people.second();
        say(hana, "see you at 9");
        say(hana, "bring snacks");
        assertThat(messagesWith(ivo, "bring snacks")).hasCount(1, SOON);

        // Typing shows to the other. Typing the messages above said so already, and a socket's typing is forwarded
        // once every 3 s: wait that out, or this typing would be (rightly) dropped.
        hana.waitForTimeout(3_100);
        hana.getByTestId("composer").pressSequentially("almost");
        assertThat(ivo.getByTestId("typing")).hasText(java.util.regex.Pattern.compile(".+ is typing…"),
                new LocatorAssertions.HasTextOptions().setTimeout(10_000));
        hana.getByTestId("composer").fill("");

        // Edit by keyboard: the message's Edit button, then Enter saves.
        var first = messageItem(hana, "see you at 9");
        first.hover();
        first.getByTestId("edit-message").click();
        hana.getByTestId("edit-input").fill("see you at 10");
        hana.getByTestId("edit-input").press("Enter");
        assertThat(messagesWith(hana, "see you at 10")).hasCount(1);
        assertThat(messagesWith(ivo, "see you at 10")).hasCount(1, SOON);
        assertThat(messagesWith(ivo, "see you at 9")).hasCount(0);
        assertThat(ivo.getByTestId("edited")).hasCount(1);
        // Escape gives up an edit and keeps the text.
        var edited = messageItem(hana, "see you at 10");
        edited.hover();
        edited.getByTestId("edit-message").click();
        hana.getByTestId("edit-input").fill("never mind");
        hana.getByTestId("edit-input").press("Escape");
        assertThat(messagesWith(hana, "see you at 10")).hasCount(1);
        assertThat(ivo.getByTestId("edit-message")).hasCount(0); // nothing of hana's is ivo's to edit

        // Deleted while ivo is away: he sees it gone once back, the seq keeping its place.
        ivo.context().setOffline(true);
        assertThat(ivo.getByTestId("connection")).hasText("Reconnecting…");
        var snacks = messageItem(hana, "bring snacks");
        snacks.hover();
        snacks.getByTestId("delete-message").click();
        hana.getByTestId("confirm-delete").click();
        assertThat(messagesWith(hana, "This message was deleted.")).hasCount(1);
        ivo.context().setOffline(false);
        assertThat(messagesWith(ivo, "This message was deleted.")).hasCount(1, SOON);
        assertThat(messagesWith(ivo, "bring snacks")).hasCount(0);
        assertThat(ivo.getByTestId("connection")).isHidden();
        screenshot(ivo, "edited-and-deleted");
    }

    @Test
    void reactionsArePickedFromTheMessageAndCountedLiveForEveryone() {
        String room = "reactions " + uniqueName("r").substring(2, 8);
        var people = twoInARoom("jia", "kai", room);
        Page jia = people.first();
        Page kai = people.second();
        say(jia, "we shipped it");
        assertThat(messagesWith(kai, "we shipped it")).hasCount(1, SOON);

        var shipped = messageItem(kai, "we shipped it");
        shipped.hover();
        shipped.getByTestId("add-reaction").click();
        assertThat(kai.getByTestId("reaction-picker").locator("button")).hasCount(64);
        kai.getByTestId("reaction-picker").locator("button[data-emoji=tada]").click();
        assertThat(kai.getByTestId("reaction-picker")).hasCount(0);
        var kaiChip = shipped.locator("[data-testid=reaction][data-emoji=tada]");
        assertThat(kaiChip).hasText("🎉 1");
        assertThat(kaiChip).hasAttribute("aria-pressed", "true");

        var jiaChip = jia.locator("[data-testid=reaction][data-emoji=tada]");
        assertThat(jiaChip).hasText("🎉 1", new LocatorAssertions.HasTextOptions().setTimeout(10_000));
        assertThat(jiaChip).hasAttribute("aria-pressed", "false");
        jiaChip.click(); // the same emoji: joins in
        assertThat(jiaChip).hasText("🎉 2");
        assertThat(jiaChip).hasAttribute("aria-pressed", "true");
        assertThat(kaiChip).hasText("🎉 2", new LocatorAssertions.HasTextOptions().setTimeout(10_000));
        assertThat(kaiChip).hasAttribute("aria-pressed", "true"); // kai's own stays his
        kaiChip.click(); // taken back
        assertThat(kaiChip).hasText("🎉 1");
        assertThat(jiaChip).hasText("🎉 1", new LocatorAssertions.HasTextOptions().setTimeout(10_000));
        screenshot(jia, "reactions");
    }

    @Test
    void aMemberIsMentionedByAutocompleteSeesABadgeAndTheMessageHighlighted() {
        var lia = newUser("lia");
        var max = newUser("max");
        UUID room = lia.createRoom("mention " + uniqueName("r").substring(2, 8)).id();
        max.join(room);
        UUID elsewhere = max.createRoom("elsewhere " + uniqueName("r").substring(2, 8)).id();
        Page liaPage = signIn(lia);
        Page maxPage = signIn(max);
        maxPage.locator("[data-testid=room][data-id=\"" + elsewhere + "\"]").click();
        liaPage.locator("[data-testid=room][data-id=\"" + room + "\"]").click();
        String name = max.user().username();
        // The messages service learns usernames from join events: wait until a mention resolves.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> !lia.post(room, "ping @" + name).mentions().isEmpty());

        var composer = liaPage.getByTestId("composer");
        composer.pressSequentially("look @" + name.substring(0, 4));
        assertThat(liaPage.getByTestId("mention-option").first()).hasText("@" + name);
        composer.press("Enter"); // picks the name, does not send
        assertThat(composer).hasValue("look @" + name + " ");
        composer.pressSequentially("here");
        composer.press("Enter");
        assertThat(messagesWith(liaPage, "look @" + name + " here")).hasCount(1);

        var badge = maxPage.locator("[data-testid=room][data-id=\"" + room + "\"] [data-testid=mentions]");
        // "@2", or "@1" if the first mention came before max's socket was up (it is counted on the next load).
        assertThat(badge).hasText(java.util.regex.Pattern.compile("@[12]"), new LocatorAssertions.HasTextOptions().setTimeout(10_000));
        maxPage.locator("[data-testid=room][data-id=\"" + room + "\"]").click();
        var mine = maxPage.locator("li.message.mentions-me");
        assertThat(mine).hasCount(2, SOON);
        assertThat(mine.last().locator(".mention")).hasText("@" + name);
        assertThat(badge).hasCount(0, SOON); // read: the badge goes
        screenshot(maxPage, "mentioned");
    }

    @Test
    void messagesShowASafeMarkdownSubsetAndAnXssCorpusNeverBecomesMarkupOrScript() throws IOException {
        Page nia = signUp("nia");
        createRoom(nia, "markdown " + uniqueName("r").substring(2, 8));
        say(nia, "**bold** and _em_ and `co*de*` in snake_case_name\n> quoted *too*\n- one\n- two\n"
                + "see [the docs](https://example.org/docs) or https://example.org/a_b.");
        var item = messageItem(nia, "quoted");
        assertThat(item.locator(".text strong")).hasText("bold");
        assertThat(item.locator(".text em")).hasCount(2); // "em", and "too" in the quote
        assertThat(item.locator(".text code")).hasText("co*de*");
        assertThat(item.locator(".text blockquote")).hasText("quoted too");
        assertThat(item.locator(".text ul li")).hasCount(2);
        assertThat(item.locator(".text a")).hasCount(2);
        assertThat(item.locator(".text a").first()).hasAttribute("href", "https://example.org/docs");
        assertThat(item.locator(".text a").last()).hasAttribute("href", "https://example.org/a_b");
        assertThat(item.locator(".text")).containsText("snake_case_name");

        // The corpus, rendered by the page's own renderer into the page (so an onerror or onload would run).
        var corpus = Files.readAllLines(Path.of("src/test/resources/markdown-xss-corpus.txt"), StandardCharsets.UTF_8)
                .stream().filter(line -> !line.isBlank() && !line.startsWith("#")).map(line -> line.replace("\\n", "\n")).toList();
        Object found = nia.evaluate("""
                async (corpus) => {
                  const { renderMarkdown } = await import('/js/markdown.js');
                  const allowed = new Set(['P', 'STRONG', 'EM', 'CODE', 'PRE', 'A', 'UL', 'OL', 'LI', 'BLOCKQUOTE', 'SPAN']);
                  const problems = [];
                  const box = document.createElement('div');
                  document.body.append(box);
                  for (const text of corpus) {
                    const holder = document.createElement('div');
                    holder.append(...renderMarkdown(text));
                    box.append(holder);
                    for (const el of holder.querySelectorAll('*')) {
                      if (!allowed.has(el.tagName)) problems.push(`${el.tagName} from ${text}`);
                      for (const attr of el.attributes) {
                        const ok = (attr.name === 'href' && /^https?:\\/\\//.test(attr.value))
                          || ['rel', 'target', 'start'].includes(attr.name)
                          || (attr.name === 'class' && attr.value === 'mention');
                        if (!ok) problems.push(`${el.tagName} ${attr.name}=${attr.value} from ${text}`);
                      }
                    }
                  }
                  await new Promise((resolve) => setTimeout(resolve, 300)); // time for any handler to run
                  box.remove();
                  return { problems, xss: window.__xss ?? null, rendered: corpus.length };
                }""", corpus);
        @SuppressWarnings("unchecked")
        var result = (Map<String, Object>) found;
        assertThat(result.get("rendered")).isEqualTo(corpus.size());
        org.assertj.core.api.Assertions.assertThat((List<String>) result.get("problems")).as("elements or attributes a message made").isEmpty();
        org.assertj.core.api.Assertions.assertThat(result.get("xss")).as("script a message ran").isNull();
        org.assertj.core.api.Assertions.assertThat(corpus).hasSizeGreaterThan(35);
        screenshot(nia, "markdown");
    }

    /** axe-core's script (npm; ./babble test installs it and names it in -Dbabble.e2e.axe). */
    private static String axeSource() {
        String path = System.getProperty("babble.e2e.axe", "");
        org.assertj.core.api.Assertions.assertThat(path).as("axe-core: run through ./babble test, or pass -Dbabble.e2e.axe=.../axe.min.js")
                .isNotBlank();
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("axe-core not readable at " + path, e);
        }
    }

    /**
     * Runs axe-core in the page as it is now and adds each serious or critical problem to {@code found}. The script
     * is served from the page's own origin (a routed request), so the page's Content-Security-Policy stays on.
     */
    private static void axe(Page page, String view, List<String> found, String source) {
        if (!Boolean.TRUE.equals(page.evaluate("() => typeof window.axe !== 'undefined'"))) {
            page.route("**/__axe.min.js", route -> route.fulfill(new com.microsoft.playwright.Route.FulfillOptions()
                    .setStatus(200).setContentType("text/javascript").setBody(source)));
            page.addScriptTag(new Page.AddScriptTagOptions().setUrl("/__axe.min.js"));
        }
        @SuppressWarnings("unchecked")
        var problems = (List<String>) page.evaluate("""
                async () => {
                  const result = await axe.run(document, { resultTypes: ['violations'] });
                  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
                    .map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`);
                }""");
        problems.forEach(problem -> found.add(view + ": " + problem));
    }

    @Test
    void everyViewHasNoSeriousAccessibilityProblemAndTheChatWorksByKeyboard() {
        String source = axeSource();
        var found = new java.util.ArrayList<String>();
        var owen = newUser("owen");
        var pat = newUser("pat");
        UUID room = owen.createRoom("a11y " + uniqueName("r").substring(2, 8)).id();
        pat.join(room);
        owen.post(room, "**welcome** to the room, with `code` and a [link](https://example.org)");
        var edited = owen.post(room, "a typo");
        owen.edit(room, edited.seq(), "no typo");
        owen.deleteMessage(room, owen.post(room, "gone").seq());
        owen.call("PUT", "/api/v1/rooms/" + room + "/messages/1/reactions/heart", null).orThrow();

        Page page = newPage(1280, 800);
        page.navigate(deployment.baseUrl().toString());
        assertThat(page.getByTestId("username")).isVisible();
        axe(page, "sign-in", found, source);
        // Signing in by keyboard: type, Tab, type, Enter.
        page.getByTestId("username").focus();
        page.keyboard().type(pat.user().username());
        page.keyboard().press("Tab");
        page.keyboard().type(PASSWORD);
        page.keyboard().press("Enter");
        assertThat(page.getByTestId("me")).isVisible();
        assertThat(page.getByTestId("feed-view")).isVisible();
        axe(page, "feed", found, source);

        page.locator("[data-testid=room][data-id=\"" + room + "\"]").click();
        assertThat(messagesWith(page, "no typo")).hasCount(1);
        axe(page, "chat", found, source);
        // Writing by keyboard: the composer has the focus after opening a room; Enter sends.
        page.keyboard().type("sent by keyboard");
        page.keyboard().press("Enter");
        assertThat(messagesWith(page, "sent by keyboard")).hasCount(1);
        var welcome = messageItem(page, "welcome");
        welcome.getByTestId("add-reaction").focus();
        page.keyboard().press("Enter");
        assertThat(page.getByTestId("reaction-picker")).isVisible();
        axe(page, "reaction picker", found, source);
        page.keyboard().press("Escape"); // closes it, the focus back on its button
        assertThat(page.getByTestId("reaction-picker")).hasCount(0);
        assertThat(welcome.getByTestId("add-reaction")).isFocused();
        var mine = messageItem(page, "sent by keyboard");
        mine.getByTestId("edit-message").focus();
        page.keyboard().press("Enter");
        assertThat(page.getByTestId("edit-input")).isFocused();
        axe(page, "editing", found, source);
        page.keyboard().press("Escape");

        // A person (from their name on a message) and the room's members, each a dialog: Escape closes it.
        messageItem(page, "welcome").getByTestId("author").click();
        assertThat(page.getByTestId("follow-button")).isVisible();
        axe(page, "person", found, source);
        page.keyboard().press("Escape");
        assertThat(page.getByTestId("follow-button")).hasCount(0);
        page.getByTestId("create-room").click();
        assertThat(page.getByTestId("room-name")).isFocused();
        axe(page, "new room dialog", found, source);
        page.keyboard().press("Escape");
        assertThat(page.getByTestId("room-name")).hasCount(0);

        openPosts(page);
        axe(page, "posts", found, source);
        openJobs(page);
        axe(page, "jobs", found, source);
        page.getByTestId("browse-rooms").click();
        assertThat(page.getByTestId("browse-list").locator("li").first()).isVisible();
        axe(page, "rooms dialog", found, source);
        page.keyboard().press("Escape");
        assertThat(page.getByTestId("browse-list")).hasCount(0);
        page.getByTestId("find-people").click();
        assertThat(page.getByTestId("find-people-input")).isFocused();
        page.keyboard().type(owen.user().username());
        assertThat(page.getByTestId("found-person")).hasCount(1, SOON);
        axe(page, "find people dialog", found, source);
        page.keyboard().press("Escape");
        assertThat(page.getByTestId("find-people-list")).hasCount(0);
        page.getByTestId("search-input").fill("welcome");
        page.getByTestId("search-input").press("Enter");
        assertThat(page.getByTestId("search-view")).isVisible();
        axe(page, "search", found, source);
        page.getByTestId("nav-topics").click();
        assertThat(page.getByTestId("hub-title")).isVisible();
        axe(page, "topics", found, source);

        E2E.reportFailureTest("accessibility", Map.of("views", 13, "serious or critical", found.size()));
        org.assertj.core.api.Assertions.assertThat(found).as("axe-core: serious or critical problems").isEmpty();
    }

    @Test
    void unreadCountsShowOnOtherRooms() {
        String busy = "busy " + uniqueName("r").substring(2, 8);
        var people = twoInARoom("hana", "ivan", busy);
        Page hana = people.first();
        Page ivan = people.second();
        createRoom(ivan, "elsewhere " + uniqueName("r").substring(2, 8)); // ivan now looks at another room

        say(hana, "one");
        say(hana, "two");

        var badge = ivan.locator("[data-testid=room]", new Page.LocatorOptions().setHasText(busy)).getByTestId("unread");
        assertThat(badge).hasText("2");
        ivan.locator("[data-testid=room]", new Page.LocatorOptions().setHasText(busy)).click();
        assertThat(badge).hasCount(0, SOON);
    }

    @Test
    void theMembersListShowsWhoIsOnlineAndFollowsItLive() {
        String room = "presence " + uniqueName("r").substring(2, 8);
        var people = twoInARoom("lin", "max", room);
        Page lin = people.first();

        lin.getByTestId("member-count").click();
        var max = lin.locator(".members li", new Page.LocatorOptions().setHasText("@max_")).locator(".presence-dot");
        var self = lin.locator(".members li", new Page.LocatorOptions().setHasText("@lin_")).locator(".presence-dot");
        assertThat(max).hasAttribute("data-online", "true");
        assertThat(max).hasAttribute("aria-label", "online");
        assertThat(self).hasAttribute("data-online", "true");
        screenshot(lin, "presence-online");

        people.second().context().close(); // max closes the browser: offline after the grace (1 s in the tests)
        assertThat(max).hasAttribute("data-online", "false",
                new LocatorAssertions.HasAttributeOptions().setTimeout(10_000));
        assertThat(max).hasAttribute("aria-label", "offline");
        screenshot(lin, "presence-offline");
    }

    @Test
    void aPrivateRoomIsInvitedIntoFromAPersonsCardAndADirectMessageOpensForBoth() {
        String lounge = "lounge " + uniqueName("r").substring(2, 8);
        var people = twoInARoom("ana", "bea", lounge);
        Page ana = people.first();
        Page bea = people.second();
        say(ana, "hello lounge");
        say(bea, "hi from bea");
        assertThat(messagesWith(ana, "hi from bea")).hasCount(1, SOON);

        // ana makes a private room: a lock, no posts tab
        String secret = "secret " + uniqueName("r").substring(2, 8);
        ana.getByTestId("create-room").click();
        ana.getByTestId("room-name").fill(secret);
        ana.getByTestId("room-private").check();
        ana.getByTestId("create-room-submit").click();
        assertThat(ana.getByTestId("room-title")).hasText("🔒 " + secret);
        assertThat(ana.getByTestId("view-posts")).isHidden();
        say(ana, "welcome to the secret room");

        // ana invites bea from bea's card (her name in the lounge); bea joins from the toast that tells her
        ana.locator("[data-testid=room]", new Page.LocatorOptions().setHasText(lounge)).click();
        ana.getByTestId("author").filter(new Locator.FilterOptions().setHasText("bea_")).first().click();
        ana.getByTestId("invite-room").selectOption(new com.microsoft.playwright.options.SelectOption().setLabel("🔒 " + secret));
        ana.getByTestId("invite-person").click();
        assertThat(ana.getByTestId("invite-note")).containsText("Invited");
        assertThat(bea.getByTestId("toast").filter(new Locator.FilterOptions().setHasText("invited you"))).hasCount(1, SOON);
        screenshot(bea, "invited");
        bea.getByTestId("join-invite").click();
        assertThat(bea.getByTestId("room-title")).hasText("🔒 " + secret);
        assertThat(messagesWith(bea, "welcome to the secret room")).hasCount(1, SOON);
        ana.keyboard().press("Escape");

        // bea starts a direct conversation from ana's card: it shows in both lists of direct messages
        bea.locator("[data-testid=room]", new Page.LocatorOptions().setHasText(lounge)).click();
        bea.getByTestId("author").filter(new Locator.FilterOptions().setHasText("ana_")).first().click();
        bea.getByTestId("message-person").click();
        assertThat(bea.getByTestId("room-title")).containsText("@ ana_");
        assertThat(bea.getByTestId("leave-room")).isHidden(); // a direct room cannot be left
        say(bea, "just between us");
        var anasDm = ana.getByTestId("dm-list").getByTestId("dm");
        assertThat(anasDm).hasCount(1, SOON);
        assertThat(anasDm).containsText("bea_");
        anasDm.click();
        assertThat(messagesWith(ana, "just between us")).hasCount(1, SOON);
        screenshot(ana, "direct-message");

        // ana finds someone she has met in no room by the start of their username, and messages them from their card
        var cid = newUser("cid");
        ana.getByTestId("find-people").click();
        ana.getByTestId("find-people-input").fill(cid.user().username().toUpperCase());
        ana.getByTestId("found-person").filter(new Locator.FilterOptions().setHasText(cid.user().username())).click();
        ana.getByTestId("message-person").click();
        assertThat(ana.getByTestId("room-title")).containsText("@ " + cid.user().username());
        assertThat(ana.getByTestId("dm-list").getByTestId("dm")).hasCount(2, SOON);
    }

    @Test
    void followingSomeoneFromTheirNameAndSeeingTheVisitCounter() {
        String room = "follow " + uniqueName("r").substring(2, 8);
        var people = twoInARoom("kai", "lea", room);
        Page kai = people.first();
        Page lea = people.second();
        say(kai, "follow me?");
        assertThat(messagesWith(lea, "follow me?")).hasCount(1, SOON);
        assertThat(lea.getByTestId("visits")).containsText("visits");

        lea.getByTestId("author").filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText("kai_")).first().click();
        assertThat(lea.getByTestId("follow-button")).hasText("Follow");
        lea.getByTestId("follow-button").click();
        assertThat(lea.getByTestId("follow-button")).hasText("Following ✓");
        assertThat(kai.getByTestId("toast")).containsText("followed you");
        assertThat(lea.getByTestId("followers-list")).containsText("lea_");
        screenshot(lea, "profile");
    }

    @Test
    void withFollowsDownTheFollowButtonIsDisabledWithANote() {
        org.junit.jupiter.api.Assumptions.assumeTrue(deployment.isLocal(), "needs a deployment this suite controls");
        String room = "isolated " + uniqueName("r").substring(2, 8);
        Page max = signUp("max");
        createRoom(max, room);
        say(max, "hello");
        assertThat(messagesWith(max, "hello")).hasCount(1, SOON);
        deployment.stopService("follows");
        try {
            max.getByTestId("author").first().click();
            assertThat(max.getByTestId("follow-note")).isVisible();
            say(max, "chat still works");
            screenshot(max, "follows-down");
        } finally {
            deployment.startService("follows");
        }
    }

    @Test
    void aPostAwaitsModerationTakesAVoteAndCommentsWithABlockedWordAreRejected() {
        PostFrames frames = new PostFrames();
        Page ada = signUp("ada", 1280, 800, frames);
        createRoom(ada, "posts " + uniqueName("r").substring(2, 8));
        openPosts(ada);
        String title = "Hello <b>posts</b> " + uniqueName("p").substring(2, 8);

        ada.getByTestId("new-post").click();
        ada.getByTestId("post-title-input").fill(title);
        ada.getByTestId("post-url-input").fill("https://example.com/about");
        ada.getByTestId("post-body-input").fill("first line\nsecond line");
        ada.getByTestId("post-tags-input").fill("news, e2e");
        ada.getByTestId("post-submit").dblclick(); // a double submit is one post (same Idempotency-Key)

        var post = postWith(ada, title);
        assertThat(post).hasCount(1, SOON); // from the answer, before the read model or a frame has it
        assertThat(post.getByTestId("status")).hasText("awaiting moderation");
        assertThat(post.getByTestId("post-title")).hasText(title); // literal text, never markup
        assertThat(ada.locator(".posts b")).hasCount(0);
        assertThat(post.getByTestId("post-url")).hasAttribute("rel", "noopener noreferrer nofollow");
        assertThat(post.getByTestId("tag")).hasText(new String[] {"news", "e2e"});
        screenshot(ada, "pending");

        frames.release();
        awaitStatus(post, "approved", () -> ada.getByTestId("posts-refresh").click());
        assertThat(post.getByTestId("status")).hasCount(0);
        assertThat(post).hasCount(1);

        post.getByTestId("upvote").click();
        assertThat(post.getByTestId("score")).hasText("1");
        assertThat(post.getByTestId("upvote")).hasAttribute("aria-pressed", "true");

        post.getByTestId("post-title").click();
        var detail = ada.getByTestId("post-detail");
        assertThat(detail.getByTestId("post-detail-title")).hasText(title);
        assertThat(detail.getByTestId("post-body")).hasText("first line\nsecond line");
        assertThat(detail.getByTestId("post-body")).hasCSS("white-space", "pre-wrap");
        comment(ada, "Nice post, thanks");
        comment(ada, "I would rather have an orange");

        var fine = commentWith(ada, "Nice post, thanks");
        var orange = commentWith(ada, "rather have an orange");
        Runnable reload = ada::reload; // the address names the post: a reload reads it and its comments again
        awaitStatus(orange, "rejected", reload);
        assertThat(orange.getByTestId("status")).containsText("rejected: ");
        awaitStatus(fine, "approved", reload);
        assertThat(fine.getByTestId("status")).hasCount(0);
        assertThat(ada.getByTestId("comment")).hasCount(2);
        screenshot(ada, "comments");
    }

    @Test
    void theRoomsOwnerHoldsNewPostsForReviewAndApprovesThemFromTheQueue() {
        Page kim = signUp("kim");
        createRoom(kim, "moderated " + uniqueName("r").substring(2, 8));
        openPosts(kim);
        kim.getByTestId("moderation-toggle").click();
        kim.getByTestId("rules-hold-all").check(); // waits until the current rules are in
        kim.getByTestId("rules-save").click();
        assertThat(kim.getByTestId("rules-status")).hasText("Saved.");
        String title = "Worth a look " + uniqueName("p").substring(2, 8);

        newPost(kim, title);

        var post = postWith(kim, title);
        awaitStatus(post, "held", () -> kim.getByTestId("posts-refresh").click());
        assertThat(post.getByTestId("status")).hasText("held for review");
        var queued = kim.getByTestId("queue-item").filter(new Locator.FilterOptions().setHasText(title));
        var shortly = new LocatorAssertions.HasCountOptions().setTimeout(3_000);
        eventually(() -> assertThat(queued).hasCount(1, shortly), () -> kim.getByTestId("queue-refresh").click()); // read, not pushed
        screenshot(kim, "queue");
        queued.getByTestId("approve").click();
        assertThat(queued).hasCount(0);
        awaitStatus(post, "approved", () -> kim.getByTestId("posts-refresh").click());
        assertThat(post.getByTestId("status")).hasCount(0);
    }

    @Test
    void aRoomsExportShowsItsProgressAndDownloadsAFileWithEveryMessage() throws IOException {
        UserSession ola = newUser("ola");
        String name = "export " + uniqueName("r").substring(2, 8);
        var room = ola.createRoom(name);
        int count = 300;
        for (int i = 1; i <= count; i++) {
            ola.post(room.id(), "message " + i + (i % 100 == 0 ? " <b>not bold</b>\nand a second line" : ""));
        }
        Page page = signIn(ola);
        assertThat(page.getByTestId("room-title")).hasText("# " + name);
        openJobs(page);
        assertThat(page.getByTestId("export-section").getByRole(AriaRole.HEADING)).hasText("Export #" + name);
        page.getByTestId("export-format-jsonl").check();

        page.getByTestId("export-room").dblclick(); // a double click is one job (one Idempotency-Key)

        var job = page.getByTestId("job");
        assertThat(job).hasCount(1, SOON); // from the 202 answer or the first job frame
        assertThat(job.getByTestId("job-progress")).isVisible(); // it may be full already: the export is quick
        assertThat(job.getByTestId("job-kind")).hasText("Export of #" + name);
        assertThat(job.getByTestId("job-where")).hasText("JSON Lines");
        assertThat(job.getByTestId("job-status")).hasText("succeeded",
                new LocatorAssertions.HasTextOptions().setTimeout(30_000)); // by a live frame
        assertThat(job).hasAttribute("data-status", "succeeded");
        assertThat(job.getByTestId("job-progress")).hasAttribute("max", String.valueOf(count));
        assertThat(job.getByTestId("job-progress")).hasAttribute("value", String.valueOf(count));
        assertThat(job.getByTestId("job-summary")).containsText(count + " messages");
        assertThat(job.getByTestId("job-cancel")).isHidden();
        assertThat(job.getByTestId("job-error")).isHidden();
        var download = job.getByTestId("job-download");
        assertThat(download).isVisible();
        screenshot(page, "export");
        JsonNode jobs = ola.call("GET", "/api/v1/jobs?limit=20", null).orThrow().json().get("jobs");
        assertThat(jobs).hasSize(1);

        Download file = page.waitForDownload(download::click); // fetched with the token, saved from a Blob
        assertThat(file.suggestedFilename()).isEqualTo(jobs.get(0).get("result").get("fileName").asText()).endsWith(".jsonl");
        List<String> lines = Files.readAllLines(file.path(), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(count);
        assertThat(lines.getFirst()).contains("\"text\":\"message 1\"");
        assertThat(lines.get(99)).contains("message 100 <b>not bold</b>\\nand a second line");
        assertThat(lines.getLast()).contains("\"seq\":" + count);
    }

    @Test
    void aJobStartedElsewhereShowsLiveWithItsRetriesFailuresAndCancel() {
        UserSession rio = newUser("rio");
        rio.createRoom("jobs " + uniqueName("r").substring(2, 8));
        Page page = signIn(rio);
        openJobs(page);
        assertThat(page.getByTestId("jobs-empty")).isVisible();

        // The diagnostic probe kind: fails its first attempt, then takes slow steps; the page hears of it by frames.
        var slow = rio.call("POST", "/api/v1/jobs", Map.of("kind", "probe", "steps", 300, "stepMillis", 100, "failures", 1),
                Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertThat(slow.status()).as("the suite's deployment enables the probe job kind (BABBLE_JOBS_PROBE=true)")
                .isEqualTo(202);
        var broken = rio.call("POST", "/api/v1/jobs", Map.of("kind", "probe", "failures", -1),
                Map.of("Idempotency-Key", UUID.randomUUID().toString())).orThrow();

        var running = jobRow(page, slow.json().get("id").asText());
        assertThat(running).hasCount(1, SOON);
        assertThat(running.getByTestId("job-attempts")).hasText("attempt 2", new LocatorAssertions.HasTextOptions().setTimeout(15_000));
        assertThat(running.getByTestId("job-status")).hasText("running");
        assertThat(running.getByTestId("job-progress")).hasAttribute("max", "300");
        var failed = jobRow(page, broken.json().get("id").asText());
        assertThat(failed.getByTestId("job-status")).hasText("failed", new LocatorAssertions.HasTextOptions().setTimeout(15_000));
        assertThat(failed.getByTestId("job-error")).containsText("asked to fail every attempt");
        assertThat(failed.getByTestId("job-attempts")).hasText("attempt 3");
        assertThat(failed.getByTestId("job-download")).isHidden();
        assertThat(page.getByTestId("job").first()).hasAttribute("data-id", broken.json().get("id").asText()); // newest first
        screenshot(page, "running-and-failed");

        running.getByTestId("job-cancel").click();
        assertThat(running.getByTestId("job-status")).hasText("cancelled", new LocatorAssertions.HasTextOptions().setTimeout(15_000));
        assertThat(running.getByTestId("job-cancel")).isHidden();
        assertThat(running.getByTestId("job-download")).isHidden();
        assertThat(rio.call("GET", "/api/v1/jobs/" + slow.json().get("id").asText(), null).json().get("status").asText())
                .isEqualTo("cancelled");
    }

    @Test
    void theRoomsOwnerTurnsOnItsMqttBridgeAndSeesWhereDevicesConnect() {
        Page pia = signUp("pia");
        String name = "devices " + uniqueName("r").substring(2, 8);
        createRoom(pia, name);
        String roomId = pia.locator("[data-testid=room].active").getAttribute("data-id");

        pia.getByTestId("room-settings").click();
        var toggle = pia.getByTestId("mqtt-toggle");
        assertThat(toggle).isEnabled(); // the bridge's state has been read
        assertThat(toggle).not().isChecked();
        assertThat(pia.getByTestId("mqtt-details")).isHidden();
        toggle.check();
        assertThat(pia.getByTestId("mqtt-status")).hasText("On");
        assertThat(pia.getByTestId("mqtt-details")).isVisible();
        assertThat(pia.getByTestId("mqtt-broker")).hasText(Pattern.compile("^tcp://\\S+:\\d+$"));
        assertThat(pia.getByTestId("mqtt-topic-messages")).hasText(Pattern.compile("/rooms/" + roomId + "/messages$"));
        assertThat(pia.getByTestId("mqtt-topic-post")).hasText(Pattern.compile("/rooms/" + roomId + "/post$"));
        screenshot(pia, "mqtt-on");

        pia.keyboard().press("Escape");
        pia.getByTestId("room-settings").click(); // read again: it stayed on
        assertThat(toggle).isChecked();
        assertThat(pia.getByTestId("mqtt-topic-post")).hasText(Pattern.compile("/rooms/" + roomId + "/post$"));
        toggle.uncheck();
        assertThat(pia.getByTestId("mqtt-status")).hasText("Off");
        assertThat(pia.getByTestId("mqtt-details")).isHidden();

        Page quinn = signUp("quinn"); // a member who does not own the room has no settings to change
        joinRoom(quinn, name);
        assertThat(quinn.getByTestId("room-settings")).isHidden();
    }

    @Test
    void searchFindsAPostAndAMessageWithTheirWordsMarkedAndOpensWhatItFound() {
        UserSession ann = newUser("ann");
        String name = "search " + uniqueName("r").substring(2, 8);
        UUID room = ann.createRoom(name).id();
        String w = word();
        String title = "<b>Paddling</b> tips " + w;
        approvedPost(ann, room, Map.of("title", title, "body", "Bring a spare paddle. The " + w + " lake is calm."));
        ann.post(room, "who wants to go to " + w + " tomorrow?");
        Page page = signIn(ann);
        assertThat(page.getByTestId("feed-view")).isVisible(); // the feed is the home after signing in
        assertThat(page.getByTestId("nav-feed")).hasAttribute("aria-pressed", "true");

        page.getByTestId("search-input").fill(w);
        page.getByTestId("search-input").press("Enter");

        var results = page.getByTestId("search-result");
        eventually(() -> assertThat(results).hasCount(2, SHORTLY), () -> page.getByTestId("search-submit").click()); // indexed moments after
        assertThat(page.getByTestId("search-total")).hasText("2 results for “" + w + "”");
        var post = page.locator("[data-testid=search-result][data-kind=post]");
        var message = page.locator("[data-testid=search-result][data-kind=message]");
        assertThat(post.getByTestId("result-title")).hasText(title); // literal text, never markup
        assertThat(page.locator(".search-results b")).hasCount(0);
        assertThat(post.locator(".result-title mark")).hasText(w);
        assertThat(post.locator(".result-text mark")).hasText(w);
        assertThat(message.getByTestId("result-text")).hasText("who wants to go to " + w + " tomorrow?");
        assertThat(message.locator("mark")).hasText(w);
        assertThat(message.getByTestId("card-room")).hasText("in #" + name);
        screenshot(page, "results");

        page.getByTestId("search-kind-message").click();
        assertThat(results).hasCount(1);
        assertThat(results).hasAttribute("data-kind", "message");
        page.getByTestId("search-kind-all").click();
        assertThat(results).hasCount(2);

        post.getByTestId("result-link").click();
        assertThat(page.getByTestId("post-detail-title")).hasText(title);
        assertThat(page.getByTestId("view-posts")).hasAttribute("aria-pressed", "true");
        page.goBack();
        message.getByTestId("result-link").click();
        assertThat(page.getByTestId("room-title")).hasText("# " + name);
        assertThat(page.getByTestId("view-chat")).hasAttribute("aria-pressed", "true");
        assertThat(messagesWith(page, "who wants to go to " + w)).isVisible();

        page.getByTestId("search-input").fill("x".repeat(501));
        page.getByTestId("search-input").press("Enter");
        assertThat(page.getByTestId("search-error")).containsText("500 characters"); // the 422's detail
        assertThat(results).hasCount(0);
    }

    @Test
    void aTopicPageFollowsAndMutesItsTopicAndTheFeedFollows() {
        UserSession cal = newUser("cal");
        UUID room = cal.createRoom("topics " + uniqueName("r").substring(2, 8)).id();
        String followed = tag();
        String muted = tag();
        String onlyFollowed = "Only followed " + uniqueName("p").substring(2, 8);
        String alsoMuted = "Followed and muted " + uniqueName("p").substring(2, 8);
        approvedPost(cal, room, Map.of("title", onlyFollowed, "tags", List.of(followed)));
        approvedPost(cal, room, Map.of("title", alsoMuted, "tags", List.of(followed, muted)));
        Page dot = signUp("dot"); // in no room and following nothing: an empty feed
        var feed = dot.getByTestId("feed-posts");
        assertThat(dot.getByTestId("feed-posts-empty")).isVisible();

        navigateTo(dot, "#topics/" + followed);
        assertThat(dot.getByTestId("topic-title")).hasText("#" + followed);
        var listing = dot.getByTestId("topic-posts").getByTestId("post-card");
        eventually(() -> assertThat(listing).hasCount(2, SHORTLY), dot::reload);
        assertThat(dot.getByTestId("topic-follow")).hasAttribute("aria-pressed", "false");
        dot.getByTestId("topic-follow").click();
        assertThat(dot.getByTestId("topic-follow")).hasAttribute("aria-pressed", "true");
        assertThat(dot.getByTestId("topic-status")).containsText("now come to your feed");
        screenshot(dot, "topic");

        dot.getByTestId("nav-feed").click();
        eventually(() -> assertThat(feed.getByTestId("post-card")).hasCount(2, SHORTLY), () -> dot.getByTestId("feed-refresh").click());

        cardWith(feed, alsoMuted).getByTestId("tag").filter(new Locator.FilterOptions().setHasText(muted)).click(); // a tag chip opens its topic
        assertThat(dot.getByTestId("topic-title")).hasText("#" + muted);
        dot.getByTestId("topic-mute").click();
        assertThat(dot.getByTestId("topic-mute")).hasAttribute("aria-pressed", "true");

        dot.getByTestId("nav-feed").click();
        eventually(() -> assertThat(feed.getByTestId("post-card")).hasCount(1, SHORTLY), () -> dot.getByTestId("feed-refresh").click());
        assertThat(cardWith(feed, onlyFollowed)).hasCount(1);
        screenshot(dot, "feed-muted");

        dot.getByTestId("nav-topics").click();
        assertThat(dot.getByTestId("followed-topics")).containsText(followed);
        assertThat(dot.getByTestId("muted-topics")).containsText(muted);
        dot.locator("[data-testid=unmute-topic][data-tag=\"" + muted + "\"]").click();
        assertThat(dot.getByTestId("muted-topics")).hasText("You mute no topic.");
        screenshot(dot, "my-topics");
        dot.getByTestId("nav-feed").click();
        eventually(() -> assertThat(feed.getByTestId("post-card")).hasCount(2, SHORTLY), () -> dot.getByTestId("feed-refresh").click());
        assertThat(cardWith(feed, alsoMuted)).hasCount(1);
    }

    @Test
    void aLabelledPostIsFoundInTheListOfItsLabel() {
        UserSession eli = newUser("eli");
        UUID room = eli.createRoom("labels " + uniqueName("r").substring(2, 8)).id();
        String title = "Worth keeping " + uniqueName("p").substring(2, 8);
        approvedPost(eli, room, Map.of("title", title));
        String label = tag();
        Page page = signIn(eli);
        openPosts(page);
        postWith(page, title).getByTestId("post-title").click();
        assertThat(page.getByTestId("no-labels")).isVisible();

        page.getByTestId("label-button").click();
        page.getByTestId("label-input").fill(label + ", Read-Later");
        page.getByTestId("label-save").click();

        var labels = page.getByTestId("post-label");
        assertThat(labels).hasCount(2);
        assertThat(labels.filter(new Locator.FilterOptions().setHasText(label))).hasCount(1);
        assertThat(labels.filter(new Locator.FilterOptions().setHasText("read-later"))).hasCount(1);
        page.reload(); // read back from the server
        assertThat(labels).hasCount(2);
        screenshot(page, "labelled");

        labels.filter(new Locator.FilterOptions().setHasText(label)).click();
        assertThat(page.getByTestId("label-title")).hasText("Labelled “" + label + "”");
        var listed = page.getByTestId("label-posts").getByTestId("post-card");
        eventually(() -> assertThat(listed).hasCount(1, SHORTLY), page::reload);
        assertThat(listed.getByTestId("card-title")).hasText(title);
        listed.getByTestId("card-title").click();
        assertThat(page.getByTestId("post-detail-title")).hasText(title);

        page.getByTestId("label-button").click();
        page.getByTestId("label-input").fill("");
        page.getByTestId("label-save").click();
        assertThat(page.getByTestId("no-labels")).isVisible();
        assertThat(labels).hasCount(0);
    }

    @Test
    void similarPostsShowUnderAnOpenPost() {
        UserSession fay = newUser("fay");
        UUID room = fay.createRoom("similar " + uniqueName("r").substring(2, 8)).id();
        String w = word();
        String sourdough = w + " sourdough starter hydration";
        String alike = "Sourdough bread: starter, hydration and crumb " + w;
        approvedPost(fay, room, Map.of("title", sourdough,
                "body", "Feed the sourdough starter flour and water; the hydration decides the crumb of the bread."));
        approvedPost(fay, room, Map.of("title", alike,
                "body", "A ripe sourdough starter and a high hydration give the bread an open crumb."));
        approvedPost(fay, room, Map.of("title", "Bicycle chains " + uniqueName("p").substring(2, 8),
                "body", "Clean the chain, then oil every link of it."));
        Page page = signIn(fay);
        openPosts(page);

        postWith(page, sourdough).getByTestId("post-title").click();

        var similar = page.getByTestId("similar-posts");
        eventually(() -> assertThat(cardWith(similar, alike)).hasCount(1, SHORTLY), page::reload); // indexed moments after
        assertThat(cardWith(similar, sourdough)).hasCount(0); // never the post itself
        screenshot(page, "similar");
        cardWith(similar, alike).getByTestId("card-title").click();
        assertThat(page.getByTestId("post-detail-title")).hasText(alike);
    }

    @Test
    void theRoomsOwnerImportsARedditFileAndSeesWhatWasImported() throws IOException {
        Page gil = signUp("gil");
        String name = "reddit " + uniqueName("r").substring(2, 8);
        createRoom(gil, name);
        String run = uniqueName("i").substring(2, 8);
        var lines = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            if (i == 5) {
                lines.append("{not json\n");
            } else if (i == 12) {
                lines.append("{\"id\":\"x12\",\"title\":\"a line without its name\"}\n");
            } else {
                lines.append(String.format(java.util.Locale.ROOT, "{\"id\":\"%1$s%2$d\",\"name\":\"t3_%1$s%2$d\",\"title\":\"Reddit post %2$d of %1$s\","
                        + "\"selftext\":\"%3$s\",\"url\":\"https://www.reddit.com/r/e2e/comments/%1$s%2$d/\",\"author\":\"redditor%2$d\","
                        + "\"score\":%4$d,\"created_utc\":%5$d.0,\"link_flair_text\":\"Show and tell\",\"is_self\":\"%6$s\"}\n",
                        run, i, i % 2 == 0 ? "Some text of post " + i : "", i * 3, 1_400_000_000L + i * 3600L, i % 2 == 0 ? "True" : "False"));
            }
        }
        Path file = Files.createTempFile("reddit-", ".jsonl");
        Files.writeString(file, lines, StandardCharsets.UTF_8);

        gil.getByTestId("room-settings").click();
        var dialog = gil.locator("dialog");
        dialog.getByTestId("import-file").setInputFiles(file);
        dialog.getByTestId("import-submit").click();

        var job = dialog.getByTestId("job");
        assertThat(job.getByTestId("job-status")).hasText("succeeded", new LocatorAssertions.HasTextOptions().setTimeout(30_000));
        assertThat(job.getByTestId("job-kind")).hasText("Import into #" + name);
        assertThat(job.getByTestId("job-progress")).hasAttribute("max", "20"); // progress counts lines
        assertThat(job.getByTestId("job-progress")).hasAttribute("value", "20");
        assertThat(dialog.getByTestId("import-imported")).hasText("18");
        assertThat(dialog.getByTestId("import-existing")).hasText("0");
        assertThat(dialog.getByTestId("import-skipped")).hasText("2");
        var errors = dialog.getByTestId("import-error-line");
        assertThat(errors).hasCount(2);
        assertThat(errors.first()).hasAttribute("data-line", "5");
        assertThat(errors.last()).hasAttribute("data-line", "12");
        screenshot(gil, "imported");

        dialog.getByTestId("import-submit").click(); // the same file again adds nothing

        assertThat(dialog.getByTestId("import-existing")).hasText("18", new LocatorAssertions.HasTextOptions().setTimeout(30_000));
        assertThat(dialog.getByTestId("import-imported")).hasText("0");
        assertThat(dialog.getByTestId("import-skipped")).hasText("2");
        gil.keyboard().press("Escape");
        openPosts(gil);
        var imported = gil.getByTestId("post").filter(new Locator.FilterOptions().setHasText(" of " + run));
        eventually(() -> assertThat(imported).hasCount(18, SHORTLY), () -> gil.getByTestId("posts-refresh").click());
        var seventh = postWith(gil, "Reddit post 7 of " + run);
        assertThat(seventh.getByTestId("author")).hasText("u/redditor7");
        assertThat(seventh.getByTestId("score")).hasText("21");
        assertThat(seventh.getByTestId("tag")).hasText("show-and-tell");
        screenshot(gil, "imported-posts");
    }

    @Test
    void itIsReadableAtPhoneWidth() {
        Page jo = signUp("jo", 390, 844);
        createRoom(jo, "phone " + uniqueName("r").substring(2, 8));
        say(jo, "Typing on a phone");
        assertThat(messagesWith(jo, "Typing on a phone")).hasCount(1, SOON);
        screenshot(jo, "phone");

        jo.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Rooms").setExact(true)).click();
        assertThat(jo.locator(".sidebar")).hasCSS("transform", "none"); // slid in (the page's CSP forbids eval)
        assertThat(jo.getByTestId("room-list")).isVisible();
        screenshot(jo, "phone-drawer");
    }

}

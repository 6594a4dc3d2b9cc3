package babble.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The web UI in real browsers (Debian's chromium driven by Playwright): two people chatting live, rooms,
 * the bot, text that must never become HTML, and catching up after the network drops. Screenshots go to the
 * test reports (failsafe-reports/screenshots).
 */
class BrowserIT extends E2E {
    private static final LocatorAssertions.HasCountOptions SOON = new LocatorAssertions.HasCountOptions().setTimeout(10_000);
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
        Page page = newPage(width, height);
        page.navigate(deployment.baseUrl().toString());
        page.getByTestId("auth-switch").click();
        page.getByTestId("username").fill(uniqueName(prefix));
        page.getByTestId("password").fill(PASSWORD);
        page.getByTestId("auth-submit").click();
        assertThat(page.getByTestId("me")).isVisible();
        return page;
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
        page.locator("[data-testid=join][data-room=\"" + name + "\"]").click();
        assertThat(page.getByTestId("room-title")).hasText("# " + name);
    }

    private static void say(Page page, String text) {
        page.getByTestId("composer").fill(text);
        page.getByTestId("composer").press("Enter");
    }

    private static com.microsoft.playwright.Locator messagesWith(Page page, String text) {
        return page.getByTestId("message-text").filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText(text));
    }

    private void screenshot(Page page, String what) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(testName + "-" + what + ".png")));
    }

    @Test
    void twoPeopleCreateJoinAndChatLive() {
        String room = "lounge " + uniqueName("r").substring(2, 8);
        Page ada = signUp("ada");
        createRoom(ada, room);
        Page bob = signUp("bob");
        joinRoom(bob, room);

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
        Page fay = signUp("fay");
        createRoom(fay, room);
        Page gus = signUp("gus");
        joinRoom(gus, room);
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
    void unreadCountsShowOnOtherRooms() {
        String busy = "busy " + uniqueName("r").substring(2, 8);
        Page hana = signUp("hana");
        createRoom(hana, busy);
        Page ivan = signUp("ivan");
        joinRoom(ivan, busy);
        createRoom(ivan, "elsewhere " + uniqueName("r").substring(2, 8)); // ivan now looks at another room

        say(hana, "one");
        say(hana, "two");

        var badge = ivan.locator("[data-testid=room]", new Page.LocatorOptions().setHasText(busy)).getByTestId("unread");
        assertThat(badge).hasText("2");
        ivan.locator("[data-testid=room]", new Page.LocatorOptions().setHasText(busy)).click();
        assertThat(badge).hasCount(0, SOON);
    }

    @Test
    void followingSomeoneFromTheirNameAndSeeingTheVisitCounter() {
        String room = "follow " + uniqueName("r").substring(2, 8);
        Page kai = signUp("kai");
        createRoom(kai, room);
        Page lea = signUp("lea");
        joinRoom(lea, room);
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

package babble.app;

import babble.platform.Infrastructure;
import babble.platform.Launcher;
import babble.platform.config.Config;
import babble.platform.config.ConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code babble service NAME}: one service in this JVM, configured only by BABBLE_* environment variables. */
@Command(name = "service", mixinStandardHelpOptions = true,
        description = "Run one service in its own JVM, configured by BABBLE_* environment variables "
                + "(see README: production settings).")
final class ServiceCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "One of: users, rooms, messages, quotes, bot, follows, counter, posts, moderation, query, gateway.")
    String name;

    @Override
    public Integer call() throws Exception {
        var entry = Catalog.find(name).orElseThrow(() ->
                new ConfigException("no service named '" + name + "'; the services are " + Catalog.names()));
        String key = "BABBLE_" + Config.normalize(entry.name()) + "_PORT";
        Config config = Config.fromEnvironment().withDefaults(Map.of(
                key, Integer.toString(entry.defaultPort()),
                "BABBLE_HOST", "0.0.0.0"));
        exitWithParent();
        var launcher = Launcher.start(Infrastructure.create(config), List.of(entry.factory().get()));
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            launcher.close();
            stopped.countDown();
        }));
        launcher.awaitReady(Duration.ofSeconds(60));
        System.out.printf("%s is ready on port %d%n", entry.name(), launcher.hosts().getFirst().port());
        stopped.await();
        return 0;
    }

    /** Started by {@code babble up --mode processes}: stop when that launcher is gone, even if it was killed. */
    private static void exitWithParent() {
        String parent = System.getenv("BABBLE_PARENT_PID");
        if (parent != null) {
            ProcessHandle.of(Long.parseLong(parent)).ifPresentOrElse(
                    handle -> handle.onExit().thenRun(() -> System.exit(0)),
                    () -> System.exit(0));
        }
    }
}

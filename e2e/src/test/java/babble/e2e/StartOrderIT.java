package babble.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import babble.client.BabbleClient;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Processes mode started in a random order, one part every second or so (BABBLE_START_ORDER=random:SEED:15s): a
 * gateway may come up long before the services it calls, a bot before the bus's other end. Every part must become
 * ready, none may exit on the way (the launcher stops at a part that exits while starting), and the deployment then
 * works end to end. The time from the last start to all ready is printed: on two cores, eighteen JVMs started
 * within 15 s are bound by CPU (17.1 and 17.5 s here on an idle machine, 47.6 and 69.8 s with a benchmark running
 * beside), so the bound asserted is the launcher's own, not a speed.
 * (Processes mode only.)
 */
class StartOrderIT {
    private static final Pattern READY_AFTER = Pattern.compile("every part was ready ([0-9.]+) s after the last one started");

    /** The seeds to start with: {@code -Dbabble.e2e.startOrderSeeds=7,1234} (one in {@code ./babble test}, for time). */
    static java.util.stream.LongStream seeds() {
        return java.util.Arrays.stream(System.getProperty("babble.e2e.startOrderSeeds", "7").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong);
    }

    @ParameterizedTest(name = "seed {0}")
    @org.junit.jupiter.params.provider.MethodSource("seeds")
    void partsStartedInARandomOrderAllBecomeReadySoonAfterTheLastAndWork(long seed) {
        try (var deployment = LocalDeployment.start("start-order-" + seed, "processes", 1,
                Map.of("BABBLE_START_ORDER", "random:" + seed + ":15s"))) {
            var output = deployment.launcherOutput();
            var readyAfter = READY_AFTER.matcher(output);
            assertThat(readyAfter.find()).as("the launcher reports when every part was ready:\n" + output).isTrue();
            double seconds = Double.parseDouble(readyAfter.group(1));
            assertThat(output).doesNotContain("exited by itself");

            var client = new BabbleClient(deployment.baseUrl());
            var amy = client.signUp(E2E.uniqueName("amy"), E2E.PASSWORD);
            var room = amy.createRoom("after a shuffled start").id();
            assertThat(amy.post(room, "hello").seq()).isEqualTo(1);
            E2E.reportFailureTest("random start order", Map.of("seed", seed, "ready_after_last_start_s", seconds));
            assertThat(seconds).as("every part ready within the launcher's bound of the last start").isLessThan(180.0);
        }
    }
}

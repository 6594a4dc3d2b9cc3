package babble.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class JobsApiTest {
    @Test
    void preferWaitIsReadAsRfc7240SaysAndCappedAtThirtySeconds() {
        assertThat(JobsApi.preferredWait("wait=10")).hasValue(10);
        assertThat(JobsApi.preferredWait("respond-async, wait=5")).hasValue(5);
        assertThat(JobsApi.preferredWait("handling=lenient; wait = \"7\"")).hasValue(7);
        assertThat(JobsApi.preferredWait("wait=3600")).hasValue(30);
        assertThat(JobsApi.preferredWait("wait=0")).hasValue(0);
        assertThat(JobsApi.preferredWait("wait=soon")).isEqualTo(OptionalInt.empty());
        assertThat(JobsApi.preferredWait("nowait=5")).isEqualTo(OptionalInt.empty());
        assertThat(JobsApi.preferredWait(null)).isEqualTo(OptionalInt.empty());
    }
}

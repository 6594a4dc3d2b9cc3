package babble.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import babble.client.ApiResponse;
import org.junit.jupiter.api.Test;

/** API.md, Seed 000: the site counter counts every visit, without signing in. */
class CounterIT extends E2E {

    @Test
    void eachVisitCountsOne() {
        ApiResponse first = client.call("GET", "/api/v1/counter", null, null);
        ApiResponse second = client.call("GET", "/api/v1/counter", null, null);

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.json().get("visits").asLong()).isGreaterThan(first.json().get("visits").asLong());
        assertThat(first.json().get("visits").asLong()).isPositive();
    }
}

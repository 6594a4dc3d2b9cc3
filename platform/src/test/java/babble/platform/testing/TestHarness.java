package babble.platform.testing;

import babble.platform.Infrastructure;
import babble.platform.Launcher;
import babble.platform.Service;
import babble.platform.config.Config;
import babble.platform.identity.Identity;
import babble.platform.identity.IdentityCodec;
import babble.platform.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs real services for a component test: each on its own port, on a fresh store (H2, or PostgreSQL with
 * {@code BABBLE_TEST_ADAPTERS=production}: PostgreSQL, NATS, Redis); and calls them over HTTP with a signed identity,
 * as the gateway or another service would.
 */
public final class TestHarness implements AutoCloseable {
    private final Launcher launcher;
    private final HttpClient http = HttpClient.newHttpClient();

    private final Map<String, String> settings;

    private TestHarness(Launcher launcher, Map<String, String> settings) {
        this.launcher = launcher;
        this.settings = Map.copyOf(settings);
    }

    public static TestHarness start(Service... services) {
        return start(Map.of(), services);
    }

    public static TestHarness start(Map<String, String> settings, Service... services) {
        var all = new HashMap<>(TestStores.freshSettings());
        all.put("BABBLE_ARGON2_MEMORY_KIB", "1024"); // fast hashes in tests; the production cost is covered in e2e
        all.put("BABBLE_ACCESS_LOG", "off");
        all.putAll(settings);
        TestStores.dropOnExit(all);
        try {
            return new TestHarness(Launcher.start(Infrastructure.create(Config.of(all)), List.of(services)), all);
        } catch (Exception e) {
            throw new IllegalStateException("could not start " + List.of(services), e);
        }
    }

    /**
     * Deletes everything a (stopped) service stored in its database, as an operator dropping it would: the next
     * start migrates an empty store.
     */
    public void wipeStore(String service) {
        var config = Config.of(settings).forService(service);
        try (var db = babble.platform.db.Database.open(service, babble.platform.db.DatabaseSettings.from(config), null)) {
            db.wipe();
        }
    }

    public Launcher launcher() {
        return launcher;
    }

    public URI url(String service) {
        return launcher.host(service).orElseThrow().url();
    }

    public IdentityCodec codec() {
        return launcher.infrastructure().identityCodec();
    }

    /** A user identity as the gateway would sign it. */
    public static Identity user(String username) {
        return Identity.ofUser("gateway", UUID.randomUUID(), username, username);
    }

    public static Identity user(UUID id, String username) {
        return Identity.ofUser("gateway", id, username, username);
    }

    public Reply call(String service, String method, String path, Object body, Identity as) {
        return call(service, method, path, body, as, Map.of());
    }

    public Reply call(String service, String method, String path, Object body, Identity as, Map<String, String> headers) {
        var builder = HttpRequest.newBuilder(url(service).resolve(path));
        if (as != null) {
            builder.header(IdentityCodec.HEADER, codec().sign(as));
        }
        headers.forEach(builder::header);
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            byte[] bytes = body instanceof String s ? s.getBytes(java.nio.charset.StandardCharsets.UTF_8) : Json.bytes(body);
            if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
                builder.header("Content-Type", "application/json");
            }
            builder.method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
        }
        try {
            var response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body(),
                    response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        launcher.close();
        http.close();
    }

    /** An HTTP answer in a component test. */
    public record Reply(int status, String contentType, byte[] body, Map<String, List<String>> headers) {
        /** A response header's value, or null (names ignore case). */
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }

        public JsonNode json() {
            return body.length == 0 ? null : Json.tree(body);
        }

        public <T> T as(Class<T> type) {
            return Json.read(body, type);
        }

        public String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        /** The field a 422 names. */
        public String invalidField() {
            return json().get("errors").get(0).get("field").asText();
        }
    }
}

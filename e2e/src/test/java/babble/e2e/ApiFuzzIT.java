package babble.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import babble.client.BabbleClient;
import babble.client.UserSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile requests generated from Babble's own OpenAPI document (jqwik): for every operation, bodies with wrong
 * types, missing and extra fields, huge, empty and control-character strings, invalid UTF-8, deep JSON, numbers at
 * the edges, bad ids and cursors, wrong methods and content types, and oversized bodies, sent as a member of a room
 * the requests are about. Each answer must be below 500, an error must be problem+json with a status the document
 * lists for the operation (or one every operation may give: 405, 413, 415, 429, 431), and a rejected request must
 * leave the room's messages, posts and members as they were.
 *
 * <p>600 requests against the all-in-one and 200 against processes in {@code ./babble test} ({@code
 * jqwik.tries.default}, set per mode in e2e/pom.xml);
 * {@code ./babble bench --fuzz [N]} sends N per mode (10,000 unless told).
 */
class ApiFuzzIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Integer> ANY_OPERATION = Set.of(405, 413, 415, 429, 431);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Operation(String method, String template, JsonNode body, Set<Integer> documented) {
        String name() {
            return method + " " + template;
        }
    }

    enum Mutation {
        WRONG_TYPES, MISSING_FIELDS, EXTRA_FIELD, HUGE_STRING, EMPTY_STRINGS, CONTROL_CHARACTERS, INVALID_UTF8,
        DEEP_JSON, EDGE_NUMBERS, BAD_IDS, BAD_QUERY, WRONG_METHOD, WRONG_CONTENT_TYPE, OVERSIZED, NOT_AN_OBJECT
    }

    record Case(Operation operation, Mutation mutation, String noise, long number) {
    }

    private static List<Operation> operations;
    private static JsonNode document;
    private static UserSession member;
    private static UserSession observer;
    private static UUID room;
    private static String post;
    private static URI base;
    private static final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private static final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    private static final AtomicInteger sent = new AtomicInteger();

    @BeforeContainer
    static void setUp() throws Exception {
        var deployment = Deployments.shared();
        base = deployment.baseUrl();
        var client = new BabbleClient(base);
        document = client.call("GET", "/api/v1/openapi.json", null, null).json();
        operations = operationsOf(document);
        member = client.signUp(E2E.uniqueName("fuzz"), E2E.PASSWORD);
        room = member.createRoom("fuzzed").id();
        observer = client.signUp(E2E.uniqueName("watch"), E2E.PASSWORD);
        observer.join(room);
        member.post(room, "a message before the fuzz");
        post = E2E.whenAvailable(() -> member.call("POST", "/api/v1/rooms/" + room + "/posts", Map.of("title", "a post before the fuzz")))
                .orThrow().json().get("id").asText();
    }

    @AfterContainer
    static void report() {
        E2E.reportFailureTest("api fuzz", Map.of("requests", sent.get(), "operations", operations.size(),
                "statuses", new java.util.TreeMap<>(statuses), "failures", failures.size()));
    }

    @Property // as many tries as jqwik.tries.default
    void hostileRequestsGetClearErrorsAndChangeNothing(@ForAll("cases") Case fuzz) throws Exception {
        boolean writes = !fuzz.operation().method().equals("GET") || fuzz.mutation() == Mutation.WRONG_METHOD;
        var before = writes ? counts() : List.of();
        var request = request(fuzz);
        long started = System.nanoTime();
        HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        sent.incrementAndGet();
        long ms = (System.nanoTime() - started) / 1_000_000;
        int status = response.statusCode();
        statuses.merge(fuzz.mutation() + " " + status, 1, Integer::sum);
        String what = fuzz.mutation() + " " + fuzz.operation().name() + " -> " + status + " "
                + new String(response.body(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
        assertThat(status).as("no 5xx: " + what).isLessThan(500);
        assertThat(ms).as("answered within 10 s: " + what).isLessThan(10_000);
        if (status >= 400) {
            assertThat(response.headers().firstValue("Content-Type").orElse("")).as("problem+json: " + what)
                    .startsWith("application/problem+json");
            boolean wrongMethod = fuzz.mutation() == Mutation.WRONG_METHOD;
            assertThat(wrongMethod || fuzz.operation().documented().contains(status) || ANY_OPERATION.contains(status))
                    .as("a status the document lists for the operation: " + what).isTrue();
            if (writes) {
                assertThat(counts()).as("a rejected request changes nothing: " + what).isEqualTo(before);
            }
        }
    }

    /**
     * Every operation with every mutation, except that a DELETE is only sent with bad ids: any other DELETE the
     * server rightly accepted would take away what the other requests are about (who may delete is the access
     * matrix's part).
     */
    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(Arbitraries.of(operations), Arbitraries.of(Mutation.values()),
                        Arbitraries.strings().ofMinLength(0).ofMaxLength(40),
                        Arbitraries.oneOf(Arbitraries.of(0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE + 1L,
                                201L, 4001L), Arbitraries.longs()))
                .as(Case::new)
                .map(c -> c.operation().method().equals("DELETE") ? new Case(c.operation(), Mutation.BAD_IDS, c.noise(), c.number()) : c);
    }

    /**
     * The room's messages, posts and members: what a rejected request must not change. Posts are counted as the
     * fuzzer sees them (its own pending ones included): an earlier accepted post turning approved later must not
     * look like a change.
     */
    private static List<Object> counts() {
        return List.of(count(observer, "/rooms/" + room + "/messages?limit=200", "messages"),
                count(member, "/rooms/" + room + "/posts?sort=new&limit=100", "posts"),
                count(observer, "/rooms/" + room + "/members", "members"));
    }

    /** How many items a list answers (waiting out the shared deployment's rate limit). */
    private static int count(UserSession reader, String path, String field) {
        var response = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500))
                .pollDelay(Duration.ZERO).until(() -> reader.call("GET", "/api/v1" + path, null), r -> r.status() != 429);
        return response.orThrow().json().get(field).size();
    }

    private static HttpRequest.Builder request(Case fuzz) {
        Operation op = fuzz.operation();
        String path = op.template().replace("{id}", op.template().startsWith("/posts") ? post : room.toString())
                .replace("{targetId}", member.id().toString()).replace("{kind}", "post").replace("{tag}", "java")
                .replace("{seq}", "1").replace("{emoji}", "heart");
        if (op.template().startsWith("/users/{id}") || path.startsWith("/users/" + room)) {
            path = op.template().replace("{id}", member.id().toString()).replace("{targetId}", member.id().toString());
        }
        if (op.template().startsWith("/moderation/")) {
            path = op.template().replace("{kind}", "post").replace("{id}", post);
        }
        String method = op.method();
        String contentType = "application/json";
        byte[] body = op.body() == null ? null : validBody(op.body()).toString().getBytes(StandardCharsets.UTF_8);
        switch (fuzz.mutation()) {
            case WRONG_TYPES -> body = mutated(op, obj -> obj.fieldNames().forEachRemaining(f -> obj.put(f, fuzz.number())), body);
            case MISSING_FIELDS -> body = op.body() == null ? body : "{}".getBytes(StandardCharsets.UTF_8);
            case EXTRA_FIELD -> body = mutated(op, obj -> obj.put("unexpected_" + Math.abs(fuzz.number() % 100), fuzz.noise()), body);
            case HUGE_STRING -> body = mutated(op, obj -> firstString(op, obj, "x".repeat(60_000)), body);
            case EMPTY_STRINGS -> body = mutated(op, obj -> firstString(op, obj, ""), body);
            case CONTROL_CHARACTERS -> body = mutated(op, obj -> firstString(op, obj, "a\u0000b\u001bc\u202e" + fuzz.noise()), body);
            case INVALID_UTF8 -> body = new byte[] {'{', '"', 'n', '"', ':', '"', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, '"', '}'};
            case DEEP_JSON -> body = ("[".repeat(3_000) + "]".repeat(3_000)).getBytes(StandardCharsets.UTF_8);
            case EDGE_NUMBERS -> body = mutated(op, obj -> numbers(op, obj, fuzz.number()), body);
            case BAD_IDS -> path = path.replace(room.toString(), fuzz.noise().isBlank() ? "0" : urlEncode(fuzz.noise()))
                    .replace(post, "zz" + Math.abs(fuzz.number() % 1000)).replace(member.id().toString(), UUID.randomUUID().toString());
            case BAD_QUERY -> path = path + (path.contains("?") ? "&" : "?") + "limit=" + urlEncode(fuzz.noise())
                    + "&cursor=" + urlEncode(fuzz.noise() + fuzz.number()) + "&after=" + fuzz.number() + "&sort=" + urlEncode(fuzz.noise());
            case WRONG_METHOD -> method = "PATCH";
            case WRONG_CONTENT_TYPE -> contentType = "text/plain";
            case OVERSIZED -> body = ("{\"text\":\"" + "y".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
            case NOT_AN_OBJECT -> body = ("\"" + fuzz.noise().replace("\"", "") + "\"").getBytes(StandardCharsets.UTF_8);
        }
        if (op.template().equals("/search") && !path.contains("q=")) {
            path = path + (path.contains("?") ? "&" : "?") + "q=fuzz";
        }
        if (op.template().equals("/users") && !path.contains("prefix=")) {
            path = path + (path.contains("?") ? "&" : "?") + "prefix=fu";
        }
        var builder = HttpRequest.newBuilder(base.resolve("/api/v1" + path)).timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + member.token());
        if (body != null && !method.equals("GET") && !method.equals("DELETE")) {
            builder.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
            // A large body asks first (Expect: 100-continue), as upload clients do: a server that refuses it (413,
            // 415) before reading it may close the connection, and a client still sending then never reads the
            // answer ("header parser received no bytes", found by a 10,000-request run on the imports route).
            builder.expectContinue(body.length > 64 * 1024);
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return builder;
    }

    private static byte[] mutated(Operation op, java.util.function.Consumer<ObjectNode> change, byte[] unchanged) {
        if (op.body() == null) {
            return unchanged;
        }
        ObjectNode obj = validBody(op.body());
        change.accept(obj);
        return obj.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void firstString(Operation op, ObjectNode obj, String value) {
        var properties = properties(op.body());
        for (Iterator<String> names = properties.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if ("string".equals(properties.get(name).path("type").asText())) {
                obj.put(name, value);
                return;
            }
        }
    }

    private static void numbers(Operation op, ObjectNode obj, long value) {
        var properties = properties(op.body());
        properties.fieldNames().forEachRemaining(name -> {
            String type = properties.get(name).path("type").asText();
            if (type.equals("integer") || type.equals("number")) {
                obj.put(name, value);
            }
        });
    }

    /** A body the schema allows: each required property with a plain value of its type. */
    private static ObjectNode validBody(JsonNode schema) {
        ObjectNode obj = JSON.createObjectNode();
        var properties = properties(schema);
        for (JsonNode required : schema.path("required")) {
            String name = required.asText();
            JsonNode property = properties.path(name);
            switch (property.path("type").asText()) {
                case "integer", "number" -> obj.put(name, Math.max(0, property.path("minimum").asLong(0)));
                case "boolean" -> obj.put(name, false);
                case "array" -> obj.putArray(name);
                default -> obj.put(name, property.has("enum") ? property.get("enum").get(0).asText() : "fuzz");
            }
        }
        return obj;
    }

    private static JsonNode properties(JsonNode schema) {
        return schema.path("properties");
    }

    private static List<Operation> operationsOf(JsonNode document) {
        var operations = new ArrayList<Operation>();
        var paths = document.get("paths");
        for (Iterator<String> templates = paths.fieldNames(); templates.hasNext(); ) {
            String template = templates.next();
            if (template.equals("/live") || template.equals("/sessions/current") || template.equals("/sessions")) {
                continue; // the live socket is not HTTP; these would sign the fuzzer out, or only make accounts
            }
            for (Iterator<Map.Entry<String, JsonNode>> methods = paths.get(template).fields(); methods.hasNext(); ) {
                var entry = methods.next();
                if (!List.of("get", "put", "post", "delete", "patch").contains(entry.getKey())) {
                    continue;
                }
                if (template.equals("/moderation/{kind}/{id}") || (template.equals("/users") && entry.getKey().equals("post"))) {
                    continue; // likewise a decision (AccessMatrixIT covers who may make one), and signing up
                }
                JsonNode schema = entry.getValue().path("requestBody").path("content").path("application/json").path("schema");
                var documented = new TreeSet<Integer>();
                entry.getValue().path("responses").fieldNames().forEachRemaining(code -> {
                    if (code.matches("\\d{3}")) {
                        documented.add(Integer.parseInt(code));
                    }
                });
                operations.add(new Operation(entry.getKey().toUpperCase(), template,
                        schema.isMissingNode() ? null : resolve(document, schema), Set.copyOf(documented)));
            }
        }
        return operations;
    }

    private static JsonNode resolve(JsonNode document, JsonNode schema) {
        if (schema.has("$ref")) {
            String[] parts = schema.get("$ref").asText().substring(2).split("/");
            JsonNode node = document;
            for (String part : parts) {
                node = node.get(part);
            }
            return node;
        }
        return schema;
    }

    private static String urlEncode(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}

package babble.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Renders every overlay of deploy/k8s with kustomize, parses what comes out against Kubernetes' schema (fabric8's
 * typed model) and checks Babble's rules on it (see {@link Rules}).
 */
class ManifestsTest {
    static final List<String> OVERLAYS = List.of("dev", "prod");

    /** A fresh, mutable copy of an overlay's render (rendered once per run). */
    static Manifests rendered(String overlay) {
        return Manifests.parse(Kustomize.overlay(overlay));
    }

    static Map<String, Function<Manifests, List<String>>> rulesOf(String overlay) {
        var rules = new java.util.LinkedHashMap<>(Rules.COMMON);
        if (overlay.equals("prod")) {
            rules.put("autoscaled", Rules::autoscaled);
        } else {
            rules.put("one of each", Rules::oneOfEach);
        }
        return rules;
    }

    @TestFactory
    Stream<DynamicTest> everyOverlayKeepsEveryRule() {
        var tests = new ArrayList<DynamicTest>();
        for (String overlay : OVERLAYS) {
            tests.add(DynamicTest.dynamicTest(overlay + ": renders and fits the Kubernetes schema",
                    () -> assertThat(rendered(overlay).objects()).isNotEmpty()));
            rulesOf(overlay).forEach((name, rule) -> tests.add(DynamicTest.dynamicTest(overlay + ": " + name,
                    () -> assertThat(rule.apply(rendered(overlay))).as(overlay + ": " + name).isEmpty())));
        }
        return tests.stream();
    }

    @Test
    void theQuotesCanaryKeepsEveryRuleAndCallersSplitBetweenTheTwoServices() {
        var m = Manifests.parse(Kustomize.renderOverlay(Sources.repository().resolve("deploy/k8s"), "dev",
                List.of("quotes-canary")));
        rulesOf("dev").forEach((name, rule) -> assertThat(rule.apply(m)).as(name).isEmpty());
        for (String caller : List.of("gateway", "bot")) {
            assertThat(Rules.environment(m, m.workload(caller).orElseThrow().containers().getFirst()))
                    .containsEntry("BABBLE_QUOTES_URL", "v1@http://quotes:8104,v2@http://quotes-v2:8104")
                    .containsEntry("BABBLE_QUOTES_WEIGHTS", "v1=90,v2=10");
        }
        assertThat(Rules.environment(m, m.workload("quotes").orElseThrow().containers().getFirst()))
                .containsEntry("BABBLE_VERSION", "v1");
        var canary = m.workload("quotes-v2").orElseThrow();
        assertThat(Rules.environment(m, canary.containers().getFirst())).containsEntry("BABBLE_VERSION", "v2");
        assertThat(canary.containers().getFirst().getImage()).isEqualTo("babble/quotes:v2");
    }

    @Test
    void everyOverlayFolderIsTested() throws Exception {
        try (var dirs = java.nio.file.Files.list(Sources.repository().resolve("deploy/k8s/overlays"))) {
            assertThat(dirs.map(p -> p.getFileName().toString()).sorted().toList()).isEqualTo(OVERLAYS);
        }
    }

    @Test
    void devRunsOneReplicaOfEachServiceWithTheStoresInside() {
        var dev = rendered("dev");
        assertThat(Rules.babbleServices(dev)).extracting(Manifests.Workload::name)
                .containsExactlyInAnyOrderElementsOf(Sources.catalog().keySet());
        assertThat(dev.all(StatefulSet.class)).extracting(s -> s.getMetadata().getName())
                .containsExactlyInAnyOrder("search", "postgres", "nats", "redis", "mosquitto");
        assertThat(dev.all(HorizontalPodAutoscaler.class)).isEmpty();
        assertThat(dev.all(PodDisruptionBudget.class)).isEmpty();
    }

    @Test
    void prodScalesTheBusyServicesAndReachesTheStoresOutside() {
        var prod = rendered("prod");
        assertThat(prod.all(HorizontalPodAutoscaler.class)).extracting(h -> h.getSpec().getScaleTargetRef().getName())
                .containsExactlyInAnyOrder("gateway", "messages", "search");
        assertThat(Rules.replicas(prod, prod.workload("gateway").orElseThrow())).isEqualTo(2);
        assertThat(Rules.replicas(prod, prod.workload("jobs").orElseThrow())).isEqualTo(2);
        assertThat(prod.all(PodDisruptionBudget.class)).extracting(b -> b.getMetadata().getName())
                .containsExactlyInAnyOrder("gateway", "messages", "search", "jobs");
        // The stores are Services without pods: no StatefulSet but search's.
        assertThat(prod.all(StatefulSet.class)).extracting(s -> s.getMetadata().getName()).containsExactly("search");
        for (String store : List.of("postgres", "nats", "redis", "mosquitto")) {
            assertThat(prod.get(Service.class, store).getSpec().getSelector()).as(store).isNullOrEmpty();
        }
        assertThat(prod.get(io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class, "jobs-files").getSpec().getAccessModes())
                .containsExactly("ReadWriteMany");
        assertThat(prod.get(Deployment.class, "jobs").getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    }

    @Test
    void searchReplicasEachKeepTheirOwnIndexAndConsumers() {
        for (String overlay : OVERLAYS) {
            var search = rendered(overlay).get(StatefulSet.class, "search");
            var env = search.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv();
            assertThat(env).as(overlay).anySatisfy(e -> {
                assertThat(e.getName()).isEqualTo("BABBLE_INSTANCE");
                assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
            });
            assertThat(search.getSpec().getVolumeClaimTemplates()).as(overlay)
                    .extracting(t -> t.getMetadata().getName()).containsExactly("index");
        }
    }

    @Test
    void theDeclaredCallGraphIsTheCodes() {
        // The graph the NetworkPolicies are checked against is the code's, not a copy that could drift.
        var graph = Sources.callGraph();
        assertThat(graph.get("gateway")).contains("users", "rooms", "search", "jobs").doesNotContain("bot");
        assertThat(graph.get("bot")).containsExactlyInAnyOrder("users", "rooms", "messages", "quotes");
        assertThat(graph.get("users")).isEmpty();
    }
}

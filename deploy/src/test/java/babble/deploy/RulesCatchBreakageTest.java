package babble.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each rule, shown a copy of the render broken in one way, reports that breakage: a rule that checked nothing
 * would pass {@link ManifestsTest} and fail here.
 */
class RulesCatchBreakageTest {

    private record Breakage(String overlay, String what, Consumer<Manifests> breakIt,
                            Function<Manifests, List<String>> rule, String reported) {
    }

    private static Container container(Manifests m, String workload) {
        return m.workload(workload).orElseThrow().containers().getFirst();
    }

    private static void setting(Manifests m, String key, String value) {
        var config = m.all(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().startsWith("babble-config"))
                .findFirst().orElseThrow();
        if (value == null) {
            config.getData().remove(key);
        } else {
            config.getData().put(key, value);
        }
    }

    private static List<String> ingressFrom(Manifests m, String policy) {
        return m.get(NetworkPolicy.class, policy).getSpec().getIngress().getFirst().getFrom().getFirst()
                .getPodSelector().getMatchExpressions().getFirst().getValues();
    }

    private static List<Breakage> breakages() {
        return List.of(
                new Breakage("dev", "the gateway loses its liveness probe",
                        m -> container(m, "gateway").setLivenessProbe(null),
                        Rules::hardenedWorkloads, "Deployment gateway, container gateway: no livenessProbe"),
                new Breakage("prod", "search's readiness probe asks the wrong path",
                        m -> container(m, "search").getReadinessProbe().getHttpGet().setPath("/health/live"),
                        Rules::hardenedWorkloads, "readinessProbe must ask GET /health/ready"),
                new Breakage("dev", "postgres loses its startup probe",
                        m -> container(m, "postgres").setStartupProbe(null),
                        Rules::hardenedWorkloads, "StatefulSet postgres, container postgres: no startupProbe"),
                new Breakage("dev", "users loses its memory limit",
                        m -> container(m, "users").getResources().getLimits().remove("memory"),
                        Rules::hardenedWorkloads, "Deployment users, container users: no memory limit"),
                new Breakage("prod", "rooms asks more CPU than its limit",
                        m -> container(m, "rooms").getResources().getRequests().put("cpu", new io.fabric8.kubernetes.api.model.Quantity("4")),
                        Rules::hardenedWorkloads, "Deployment rooms, container rooms: its cpu request is above its limit"),
                new Breakage("dev", "rooms may run as root",
                        m -> m.workload("rooms").orElseThrow().template().getSpec().getSecurityContext().setRunAsNonRoot(false),
                        Rules::hardenedWorkloads, "Deployment rooms, container rooms: may run as root"),
                new Breakage("prod", "messages may escalate privileges",
                        m -> container(m, "messages").getSecurityContext().setAllowPrivilegeEscalation(true),
                        Rules::hardenedWorkloads, "container messages: may escalate privileges"),
                new Breakage("dev", "tags writes to its image",
                        m -> container(m, "tags").getSecurityContext().setReadOnlyRootFilesystem(false),
                        Rules::hardenedWorkloads, "container tags: can write to its image"),
                new Breakage("prod", "the gateway's heap outgrows its memory limit",
                        m -> container(m, "gateway").getEnv().stream().filter(e -> e.getName().equals("JDK_JAVA_OPTIONS"))
                                .findFirst().orElseThrow().setValue("-Xmx900m"),
                        Rules::hardenedWorkloads, "heap -Xmx900m is more than half the memory limit 1Gi"),
                new Breakage("dev", "quotes runs an unpinned image",
                        m -> container(m, "quotes").setImage("babble/quotes:latest"),
                        Rules::hardenedWorkloads, "image babble/quotes:latest is not pinned"),

                new Breakage("dev", "BABBLE_ROOMS_URL names a Service that is not there",
                        m -> setting(m, "BABBLE_ROOMS_URL", "http://room:8102"),
                        Rules::settings, "BABBLE_ROOMS_URL names room, which is no Service of the render"),
                new Breakage("dev", "a version's instance names a Service that is not there",
                        m -> setting(m, "BABBLE_QUOTES_URL", "v1@http://quotes:8104,v2@http://quotes-v2:8104"),
                        Rules::settings, "BABBLE_QUOTES_URL names quotes-v2, which is no Service of the render"),
                new Breakage("prod", "BABBLE_POSTGRES_URL asks a port the Service lacks",
                        m -> setting(m, "BABBLE_POSTGRES_URL", "postgresql://postgres:5433"),
                        Rules::settings, "BABBLE_POSTGRES_URL asks port 5433 of Service postgres"),
                new Breakage("dev", "a container's own env points elsewhere",
                        m -> container(m, "bot").getEnv().add(new io.fabric8.kubernetes.api.model.EnvVar(
                                "BABBLE_QUOTES_URL", "http://quotes.other-namespace:8104", null)),
                        Rules::settings, "BABBLE_QUOTES_URL points outside the namespace"),
                new Breakage("dev", "the bot's quotes URL is missing",
                        m -> setting(m, "BABBLE_QUOTES_URL", null),
                        Rules::settings, "Deployment bot: calls quotes but has no BABBLE_QUOTES_URL"),
                new Breakage("prod", "the bus is left in-process",
                        m -> setting(m, "BABBLE_BUS", "in-process"),
                        Rules::settings, "BABBLE_BUS is not nats"),

                new Breakage("dev", "the jobs volume's claim is not there",
                        m -> m.remove(io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class, "jobs-files"),
                        Rules::references, "needs PersistentVolumeClaim jobs-files, which is not there"),
                new Breakage("prod", "the search autoscaler scales a Deployment that is not there",
                        m -> m.get(HorizontalPodAutoscaler.class, "search").getSpec().getScaleTargetRef().setKind("Deployment"),
                        Rules::references, "scales Deployment search, which is not there"),
                new Breakage("dev", "the Ingress sends to a port the gateway Service lacks",
                        m -> m.get(Ingress.class, "gateway").getSpec().getRules().getFirst().getHttp().getPaths().getFirst()
                                .getBackend().getService().getPort().setName("web"),
                        Rules::references, "sends to Service gateway port web, which is not there"),

                new Breakage("dev", "the users Service selects no pod",
                        m -> m.get(Service.class, "users").getSpec().setSelector(Map.of(Rules.NAME, "user")),
                        Rules::servicesSelectPods, "Service users selects no pod of the render"),
                new Breakage("prod", "the counter Service sends to a port no container has",
                        m -> m.get(Service.class, "counter").getSpec().getPorts().getFirst().setTargetPort(new IntOrString("web")),
                        Rules::servicesSelectPods, "Service counter port 8107 sends to web"),
                new Breakage("prod", "the external Redis loses its EndpointSlice",
                        m -> m.remove(EndpointSlice.class, "redis-external"),
                        Rules::servicesSelectPods, "Service redis has no selector and no EndpointSlice"),

                new Breakage("dev", "quotes stops admitting the bot",
                        m -> ingressFrom(m, "quotes-ingress").remove("bot"),
                        Rules::networkPolicies, "bot calls quotes but the NetworkPolicies stop it"),
                new Breakage("prod", "users admits counter, which does not call it",
                        m -> ingressFrom(m, "users-ingress").add("counter"),
                        Rules::networkPolicies, "counter can reach users but does not call it"),
                new Breakage("dev", "rooms admits everyone",
                        m -> m.get(NetworkPolicy.class, "rooms-ingress").getSpec().getIngress().add(new NetworkPolicyIngressRule()),
                        Rules::networkPolicies, "Deployment rooms port 8102 is reachable from outside the cluster"),
                new Breakage("prod", "default-deny is gone",
                        m -> m.remove(NetworkPolicy.class, "default-deny"),
                        Rules::networkPolicies, "Deployment bot port 8105 is reachable from another namespace"),
                new Breakage("dev", "the gateway no longer admits the ingress controller",
                        m -> m.remove(NetworkPolicy.class, "gateway-ingress"),
                        Rules::networkPolicies, "the gateway is not reachable from the ingress controller"),
                new Breakage("prod", "PostgreSQL moved and the egress policy did not follow",
                        m -> m.get(EndpointSlice.class, "postgres-external").getEndpoints().getFirst().setAddresses(List.of("10.10.9.9")),
                        Rules::networkPolicies, "cannot reach BABBLE_POSTGRES_URL (10.10.9.9 port 5432)"),
                new Breakage("prod", "every service may reach the MQTT broker",
                        m -> m.get(NetworkPolicy.class, "mqtt-broker-egress").getSpec().getPodSelector().setMatchLabels(
                                Map.of(Rules.COMPONENT, "service")),
                        Rules::networkPolicies, "gateway can reach BABBLE_MQTT_BROKER_URL"),
                new Breakage("dev", "DNS is shut off",
                        m -> m.remove(NetworkPolicy.class, "dns-egress"),
                        Rules::networkPolicies, "cannot ask DNS"),

                new Breakage("prod", "the live WebSocket gets nginx's default timeouts",
                        m -> m.get(Ingress.class, "gateway-live").getMetadata().getAnnotations()
                                .remove("nginx.ingress.kubernetes.io/proxy-read-timeout"),
                        Rules::ingress, "/api/v1/live needs proxy-read-timeout"),
                new Breakage("dev", "search is exposed by the Ingress",
                        m -> m.get(Ingress.class, "gateway").getSpec().getRules().getFirst().getHttp().getPaths().getFirst()
                                .getBackend().getService().setName("search"),
                        Rules::ingress, "Ingress gateway exposes search"),
                new Breakage("dev", "a Service is a LoadBalancer",
                        m -> m.get(Service.class, "rooms").getSpec().setType("LoadBalancer"),
                        Rules::ingress, "Service rooms is of type LoadBalancer"),

                new Breakage("prod", "the namespace no longer enforces the restricted standard",
                        m -> m.all(io.fabric8.kubernetes.api.model.Namespace.class).getFirst().getMetadata().getLabels()
                                .remove("pod-security.kubernetes.io/enforce"),
                        Rules::namespace, "does not enforce the restricted Pod Security Standard"),

                new Breakage("prod", "the gateway's budget is gone",
                        m -> m.remove(PodDisruptionBudget.class, "gateway"),
                        Rules::disruptionBudgets, "Deployment gateway runs 2 replicas but no PodDisruptionBudget covers it"),
                new Breakage("prod", "the messages budget blocks every eviction",
                        m -> m.get(PodDisruptionBudget.class, "messages").getSpec().setMaxUnavailable(new IntOrString(0)),
                        Rules::disruptionBudgets, "lets no pod of Deployment messages be evicted"),

                new Breakage("prod", "search is no longer autoscaled",
                        m -> m.remove(HorizontalPodAutoscaler.class, "search"),
                        Rules::autoscaled, "no HorizontalPodAutoscaler scales search"),
                new Breakage("prod", "the gateway sets replicas its autoscaler owns",
                        m -> m.get(Deployment.class, "gateway").getSpec().setReplicas(2),
                        Rules::autoscaled, "Deployment gateway sets replicas"),
                new Breakage("dev", "dev runs two gateways",
                        m -> m.get(Deployment.class, "gateway").getSpec().setReplicas(2),
                        Rules::oneOfEach, "Deployment gateway runs 2 replicas, not one"),

                new Breakage("dev", "the bot's declared calls leave out quotes",
                        m -> m.get(Deployment.class, "bot").getMetadata().getAnnotations().put(Rules.CALLS, "users,rooms,messages"),
                        Rules::matchesTheCode, "its code calls [messages, quotes, rooms, users]"),
                new Breakage("prod", "tags listens on another port than the code's",
                        m -> container(m, "tags").getPorts().getFirst().setContainerPort(9113),
                        Rules::matchesTheCode, "listens on 9113 (port http), but the service listens on 8113"),
                new Breakage("dev", "follows runs another service",
                        m -> container(m, "follows").setArgs(List.of("service", "counter")),
                        Rules::matchesTheCode, "args are [service, counter]"));
    }

    @TestFactory
    Stream<DynamicTest> eachRuleReportsItsBreakage() {
        var tests = new ArrayList<DynamicTest>();
        for (Breakage b : breakages()) {
            tests.add(DynamicTest.dynamicTest(b.overlay() + ": " + b.what(), () -> {
                assertThat(b.rule().apply(ManifestsTest.rendered(b.overlay()))).as("intact").isEmpty();
                Manifests broken = ManifestsTest.rendered(b.overlay());
                b.breakIt().accept(broken);
                assertThat(b.rule().apply(broken)).anySatisfy(p -> assertThat(p).contains(b.reported()));
            }));
        }
        return tests.stream();
    }

    @Test
    void everyRuleIsBrokenAtLeastOnce() {
        var caught = new java.util.TreeSet<String>();
        for (Breakage b : breakages()) {
            Manifests broken = ManifestsTest.rendered(b.overlay());
            b.breakIt().accept(broken);
            ManifestsTest.rulesOf(b.overlay()).forEach((name, rule) -> {
                if (rule.apply(broken).stream().anyMatch(p -> p.contains(b.reported()))) {
                    caught.add(name);
                }
            });
        }
        var all = new java.util.TreeSet<String>(ManifestsTest.rulesOf("dev").keySet());
        all.addAll(ManifestsTest.rulesOf("prod").keySet());
        assertThat(caught).isEqualTo(all);
    }

    @Test
    void anInstanceNamedByItsVersionIsCheckedLikeAnyOther() {
        Manifests dev = ManifestsTest.rendered("dev");
        setting(dev, "BABBLE_QUOTES_URL", "v1@http://quotes:8104,v2@http://quotes.babble-dev:8104");
        assertThat(Rules.settings(dev)).isEmpty();
    }

    @Test
    void aMisspeltFieldFailsTheSchemaCheck() {
        String yaml = Kustomize.overlay("dev").replaceFirst("readinessProbe:", "readinesProbe:");
        assertThatThrownBy(() -> Manifests.parse(yaml)).hasMessageContaining("unknown field 'readinesProbe'");
    }

    @Test
    void aValueOfTheWrongTypeFailsTheSchemaCheck() {
        String yaml = Kustomize.overlay("prod").replaceFirst("maxReplicas: 6", "maxReplicas: six");
        assertThatThrownBy(() -> Manifests.parse(yaml)).hasMessageContaining("HorizontalPodAutoscaler gateway");
    }

    @Test
    void anUnknownKindFailsTheSchemaCheck() {
        String yaml = Kustomize.overlay("dev") + "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: stray\n";
        assertThatThrownBy(() -> Manifests.parse(yaml)).hasMessageContaining("Pod stray: apiVersion/kind v1/Pod");
    }

    @Test
    void aCallAddedInTheCodeButNotInTheManifestsIsReported() {
        var graph = new java.util.TreeMap<>(Sources.callGraph());
        graph.put("counter", Set.of("users"));
        assertThat(Rules.matchesTheCode(ManifestsTest.rendered("dev"), Sources.catalog(), graph))
                .anySatisfy(p -> assertThat(p).contains("Deployment counter: annotation babble/calls says it calls [], its code calls [users]"));
    }

    @Test
    void aBrokenOverlayFailsToRenderLoudly(@TempDir java.nio.file.Path dir) throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), "resources:\n  - missing.yaml\n");
        assertThatThrownBy(() -> Kustomize.render(dir)).isInstanceOf(AssertionError.class).hasMessageContaining("failed");
    }
}

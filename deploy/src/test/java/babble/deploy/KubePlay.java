package babble.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * An overlay's render made fit for {@code podman kube play}, which runs pods but is not Kubernetes: it has no
 * Services (so no cluster DNS), no StatefulSets and no NetworkPolicies, and it cannot pull the stores' images
 * from Docker Hub here. What changes, and nothing else:
 * <ul>
 *   <li>Babble's StatefulSets (search) become Deployments, their volume claim templates emptyDir volumes;</li>
 *   <li>the stores' workloads are left out: the machine's own PostgreSQL, NATS, Redis and Mosquitto stand in;</li>
 *   <li>every pod runs on the host's network, and the settings' URLs name 127.0.0.1 where they name a Service
 *       ({@code http://users:8101} becomes {@code http://127.0.0.1:8101}): kube play has no Services and no DNS,
 *       and gives host-network pods the host's /etc/hosts (host aliases are ignored there);</li>
 *   <li>the settings' {@code BABBLE_NAMESPACE} is the test's own, so its data can be dropped afterwards;</li>
 *   <li>images are looked up in podman's storage, where {@code ./babble image} puts them ({@code localhost/});</li>
 *   <li>the Secret becomes a ConfigMap (podman 4.3 takes a secretRef from its own secret store), and containers
 *       lose their ports (podman maps none on the host's network) and probes (see {@link #runnable}).</li>
 * </ul>
 * Services, NetworkPolicies, the Ingress and the Namespace are dropped: kube play would ignore them anyway.
 */
final class KubePlay {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    /** A service's workload as it will run: its name, the port its container listens on, its image. */
    record Pod(String name, int port, String image) {
    }

    private final List<Map<String, Object>> documents;
    private final List<Pod> pods;
    private final List<String> claims;

    private KubePlay(List<Map<String, Object>> documents, List<Pod> pods, List<String> claims) {
        this.documents = documents;
        this.pods = pods;
        this.claims = claims;
    }

    /** The volume claims: podman makes a volume of each name, and keeps it after {@code kube down}. */
    List<String> claims() {
        return claims;
    }

    /** {@code rendered}: kustomize's output for one overlay; {@code namespace}: the value of BABBLE_NAMESPACE. */
    @SuppressWarnings("unchecked")
    static KubePlay of(String rendered, String namespace) {
        List<Map<String, Object>> all;
        try (var docs = YAML.readerFor(Map.class).<Map<String, Object>>readValues(rendered)) {
            all = docs.readAll();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var serviceNames = new TreeSet<String>();
        for (var document : all) {
            if ("Service".equals(document.get("kind"))) {
                serviceNames.add(name(document));
            }
        }
        var kept = new ArrayList<Map<String, Object>>();
        var pods = new ArrayList<Pod>();
        var claims = new ArrayList<String>();
        for (var document : all) {
            String kind = String.valueOf(document.get("kind"));
            switch (kind) {
                case "ConfigMap" -> {
                    var data = (Map<String, Object>) document.get("data");
                    if (data != null && data.containsKey("BABBLE_NAMESPACE")) {
                        data.put("BABBLE_NAMESPACE", namespace);
                    }
                    if (data != null) {
                        data.replaceAll((key, value) -> key.matches("BABBLE_[A-Z0-9_]+_URL")
                                ? onLoopback(String.valueOf(value), serviceNames) : value);
                    }
                    kept.add(withoutNamespace(document));
                }
                case "Secret" -> kept.add(asConfigMap(withoutNamespace(document)));
                case "PersistentVolumeClaim" -> {
                    kept.add(withoutNamespace(document));
                    claims.add(name(document));
                }
                case "Deployment", "StatefulSet" -> {
                    var labels = (Map<String, Object>) ((Map<String, Object>) document.get("metadata")).get("labels");
                    if (labels == null || !"service".equals(labels.get("app.kubernetes.io/component"))) {
                        continue; // a store: the machine's own server stands in
                    }
                    var ports = (List<Map<String, Object>>) containers(document).getFirst().get("ports");
                    int port = ((Number) ports.getFirst().get("containerPort")).intValue();
                    var runnable = runnable(document, serviceNames);
                    kept.add(runnable);
                    pods.add(new Pod(name(document), port, String.valueOf(containers(runnable).getFirst().get("image"))));
                }
                default -> {
                    // Service, NetworkPolicy, Ingress, Namespace, HPA, PDB: nothing kube play would act on.
                }
            }
        }
        return new KubePlay(kept, List.copyOf(pods), List.copyOf(claims));
    }

    /** The pods to expect, one per Babble service. */
    List<Pod> pods() {
        return pods;
    }

    /** What to hand {@code podman kube play}. */
    String yaml() {
        var out = new StringBuilder();
        for (var document : documents) {
            try {
                out.append("---\n").append(YAML.writeValueAsString(document));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> runnable(Map<String, Object> workload, TreeSet<String> serviceNames) {
        var document = withoutNamespace(workload);
        var spec = (Map<String, Object>) document.get("spec");
        var pod = (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
        if ("StatefulSet".equals(document.get("kind"))) {
            document.put("kind", "Deployment");
            spec.remove("serviceName");
            spec.remove("podManagementPolicy");
            spec.remove("updateStrategy");
            var volumes = (List<Map<String, Object>>) pod.computeIfAbsent("volumes", k -> new ArrayList<>());
            var claims = (List<Map<String, Object>>) spec.remove("volumeClaimTemplates");
            for (var claim : claims == null ? List.<Map<String, Object>>of() : claims) {
                volumes.add(Map.of("name", name(claim), "emptyDir", Map.of()));
            }
        }
        pod.put("hostNetwork", true);
        for (var container : containers(document)) {
            // On the host's network the container's port is the host's: podman refuses port mappings there. The
            // probes go too: kube play ignores readiness, and would run liveness's httpGet with curl, which the
            // images do not have (the test asks /health/ready itself).
            container.remove("ports");
            container.remove("startupProbe");
            container.remove("readinessProbe");
            container.remove("livenessProbe");
            secretsAsConfigMaps(container);
            String image = String.valueOf(container.get("image"));
            if (image.startsWith("babble/")) {
                container.put("image", "localhost/" + image);
            }
            container.put("imagePullPolicy", "Never");
        }
        return document;
    }

    /**
     * A URL setting with every Service name in it replaced by 127.0.0.1: on the host's network each service listens
     * on its own port there, and podman gives host-network pods the host's /etc/hosts (no host aliases, no DNS).
     */
    static String onLoopback(String value, java.util.Set<String> serviceNames) {
        var matcher = java.util.regex.Pattern.compile("(?<=://)([a-z0-9-]+)(?=[:/]|$)").matcher(value);
        var out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, serviceNames.contains(matcher.group(1)) ? "127.0.0.1" : matcher.group(1));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /**
     * podman 4.3 looks a secretRef up among podman's own secrets (as JSON), not in the YAML's Secrets: the Secret
     * becomes a ConfigMap of the same name and values, and every reference to it a ConfigMap reference.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> asConfigMap(Map<String, Object> secret) {
        var config = new LinkedHashMap<String, Object>();
        config.put("apiVersion", "v1");
        config.put("kind", "ConfigMap");
        config.put("metadata", secret.get("metadata"));
        var data = new LinkedHashMap<String, Object>();
        var encoded = (Map<String, Object>) secret.getOrDefault("data", Map.of());
        encoded.forEach((key, value) -> data.put(key,
                new String(java.util.Base64.getDecoder().decode(String.valueOf(value)), java.nio.charset.StandardCharsets.UTF_8)));
        data.putAll((Map<String, Object>) secret.getOrDefault("stringData", Map.of()));
        config.put("data", data);
        return config;
    }

    @SuppressWarnings("unchecked")
    private static void secretsAsConfigMaps(Map<String, Object> container) {
        for (var from : (List<Map<String, Object>>) container.getOrDefault("envFrom", List.of())) {
            var ref = from.remove("secretRef");
            if (ref != null) {
                from.put("configMapRef", ref);
            }
        }
        for (var env : (List<Map<String, Object>>) container.getOrDefault("env", List.of())) {
            var valueFrom = (Map<String, Object>) env.get("valueFrom");
            var ref = valueFrom == null ? null : valueFrom.remove("secretKeyRef");
            if (ref != null) {
                valueFrom.put("configMapKeyRef", ref);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> containers(Map<String, Object> workload) {
        var template = (Map<String, Object>) ((Map<String, Object>) workload.get("spec")).get("template");
        return (List<Map<String, Object>>) ((Map<String, Object>) template.get("spec")).get("containers");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutNamespace(Map<String, Object> document) {
        var copy = new LinkedHashMap<>(document);
        var metadata = new LinkedHashMap<>((Map<String, Object>) copy.get("metadata"));
        metadata.remove("namespace");
        copy.put("metadata", metadata);
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static String name(Map<String, Object> document) {
        return String.valueOf(((Map<String, Object>) document.get("metadata")).get("name"));
    }
}

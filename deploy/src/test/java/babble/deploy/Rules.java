package babble.deploy;

import babble.deploy.Manifests.Workload;
import babble.deploy.Network.Peer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Babble's own rules for its manifests. Each rule returns what breaks it, one sentence each, empty when it holds;
 * {@code RulesCatchBreakageTest} breaks a copy of the manifests for each so none can pass by checking nothing.
 */
final class Rules {
    static final String CALLS = "babble/calls";
    static final String COMPONENT = "app.kubernetes.io/component";
    static final String NAME = "app.kubernetes.io/name";
    /** Services that may never be reached from outside, the way the gateway is. */
    static final String GATEWAY = "gateway";
    static final Set<String> AUTOSCALED = Set.of("gateway", "messages", "search");
    static final Set<String> DEV_STORES = Set.of("postgres", "nats", "redis", "mosquitto");

    private static final Pattern URL_SETTING = Pattern.compile("BABBLE_[A-Z0-9_]+_URL");
    /** An instance may be named by the version it runs: {@code v2@http://quotes-v2:8104}. */
    private static final Pattern VERSION_PREFIX = Pattern.compile("^[A-Za-z0-9._-]{1,32}@(?=[a-z][a-z0-9+.-]*://)");
    private static final Map<String, Integer> DEFAULT_PORTS = Map.of(
            "http", 80, "https", 443, "postgresql", 5432, "nats", 4222, "redis", 6379, "tcp", 1883);
    /** The stores' settings, and which service uses each (empty: every service). */
    private static final Map<String, String> STORE_SETTINGS = Map.of(
            "BABBLE_POSTGRES_URL", "", "BABBLE_NATS_URL", "", "BABBLE_REDIS_URL", "", "BABBLE_MQTT_BROKER_URL", "mqtt");

    /** The rules every overlay keeps, by name. */
    static final Map<String, Function<Manifests, List<String>>> COMMON;

    static {
        var rules = new LinkedHashMap<String, Function<Manifests, List<String>>>();
        rules.put("hardened workloads", Rules::hardenedWorkloads);
        rules.put("settings", Rules::settings);
        rules.put("references", Rules::references);
        rules.put("services select pods", Rules::servicesSelectPods);
        rules.put("network policies", Rules::networkPolicies);
        rules.put("ingress", Rules::ingress);
        rules.put("namespace", Rules::namespace);
        rules.put("disruption budgets", Rules::disruptionBudgets);
        rules.put("matches the code", Rules::matchesTheCode);
        COMMON = java.util.Collections.unmodifiableMap(rules);
    }

    private Rules() {
    }

    // ---- every container: probes, resources, a non-root and locked-down security context, a pinned image ----

    static List<String> hardenedWorkloads(Manifests m) {
        var problems = new ArrayList<String>();
        for (Workload w : m.workloads()) {
            var pod = w.template().getSpec();
            if (!Boolean.FALSE.equals(pod.getAutomountServiceAccountToken())) {
                problems.add(w + ": mounts a service account token it has no use for (automountServiceAccountToken)");
            }
            if (!Network.selects(w.selector(), w.podLabels())) {
                problems.add(w + ": its selector does not match its own pods' labels");
            }
            var podSecurity = pod.getSecurityContext();
            for (Container c : w.containers()) {
                String where = w + ", container " + c.getName();
                boolean babble = "service".equals(w.podLabels().get(COMPONENT));
                probe(problems, where, "startupProbe", c.getStartupProbe(), c, babble ? "/health/live" : null);
                probe(problems, where, "readinessProbe", c.getReadinessProbe(), c, babble ? "/health/ready" : null);
                probe(problems, where, "livenessProbe", c.getLivenessProbe(), c, babble ? "/health/live" : null);
                resources(problems, where, c);
                if (babble) {
                    heap(problems, where, c, environment(m, c));
                }
                var security = c.getSecurityContext();
                boolean nonRoot = security != null && security.getRunAsNonRoot() != null
                        ? security.getRunAsNonRoot()
                        : podSecurity != null && Boolean.TRUE.equals(podSecurity.getRunAsNonRoot());
                if (!nonRoot) {
                    problems.add(where + ": may run as root (runAsNonRoot is not true)");
                }
                Long user = security != null && security.getRunAsUser() != null ? security.getRunAsUser()
                        : podSecurity == null ? null : podSecurity.getRunAsUser();
                if (Long.valueOf(0).equals(user)) {
                    problems.add(where + ": runs as user 0");
                }
                if (security == null || !Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())) {
                    problems.add(where + ": may escalate privileges (allowPrivilegeEscalation is not false)");
                }
                if (security != null && Boolean.TRUE.equals(security.getPrivileged())) {
                    problems.add(where + ": is privileged");
                }
                if (security == null || security.getCapabilities() == null || security.getCapabilities().getDrop() == null
                        || !security.getCapabilities().getDrop().contains("ALL")
                        || (security.getCapabilities().getAdd() != null && !security.getCapabilities().getAdd().isEmpty())) {
                    problems.add(where + ": keeps Linux capabilities (drop ALL, add none)");
                }
                var seccomp = security != null && security.getSeccompProfile() != null ? security.getSeccompProfile()
                        : podSecurity == null ? null : podSecurity.getSeccompProfile();
                if (seccomp == null || !Set.of("RuntimeDefault", "Localhost").contains(seccomp.getType())) {
                    problems.add(where + ": runs without a seccomp profile");
                }
                if (security == null || !Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())) {
                    problems.add(where + ": can write to its image (readOnlyRootFilesystem is not true)");
                }
                String image = c.getImage() == null ? "" : c.getImage();
                String last = image.substring(image.lastIndexOf('/') + 1);
                if (!image.contains("@") && (!last.contains(":") || last.endsWith(":latest"))) {
                    problems.add(where + ": image " + image + " is not pinned to a tag other than latest");
                }
            }
        }
        return problems;
    }

    private static void probe(List<String> problems, String where, String kind, Probe probe, Container c, String path) {
        if (probe == null) {
            problems.add(where + ": no " + kind);
            return;
        }
        if (probe.getHttpGet() == null && probe.getExec() == null && probe.getTcpSocket() == null && probe.getGrpc() == null) {
            problems.add(where + ": " + kind + " has no handler (httpGet, exec, tcpSocket or grpc)");
            return;
        }
        if (path != null && (probe.getHttpGet() == null || !path.equals(probe.getHttpGet().getPath()))) {
            problems.add(where + ": " + kind + " must ask GET " + path);
        }
        IntOrString port = probe.getHttpGet() != null ? probe.getHttpGet().getPort()
                : probe.getTcpSocket() != null ? probe.getTcpSocket().getPort() : null;
        if (port != null && containerPort(List.of(c), port).isEmpty()) {
            problems.add(where + ": " + kind + " asks port " + text(port) + ", which the container does not have");
        }
    }

    private static void resources(List<String> problems, String where, Container c) {
        var resources = c.getResources();
        Map<String, Quantity> requests = resources == null || resources.getRequests() == null ? Map.of() : resources.getRequests();
        Map<String, Quantity> limits = resources == null || resources.getLimits() == null ? Map.of() : resources.getLimits();
        for (String resource : List.of("cpu", "memory")) {
            if (!requests.containsKey(resource)) {
                problems.add(where + ": no " + resource + " request");
            }
            if (!limits.containsKey(resource)) {
                problems.add(where + ": no " + resource + " limit");
            }
            if (requests.containsKey(resource) && limits.containsKey(resource)
                    && requests.get(resource).getNumericalAmount().compareTo(limits.get(resource).getNumericalAmount()) > 0) {
                problems.add(where + ": its " + resource + " request is above its limit");
            }
        }
    }

    private static final Pattern XMX = Pattern.compile("-Xmx(\\d+)([kKmMgG])");

    /** A service's heap (-Xmx in JDK_JAVA_OPTIONS) is set and at most half its memory limit. */
    private static void heap(List<String> problems, String where, Container c, Map<String, String> env) {
        var m = XMX.matcher(env.getOrDefault("JDK_JAVA_OPTIONS", ""));
        var limits = c.getResources() == null ? null : c.getResources().getLimits();
        if (!m.find()) {
            problems.add(where + ": no -Xmx in JDK_JAVA_OPTIONS: the heap would be the image's share of the memory limit");
            return;
        }
        if (limits == null || !limits.containsKey("memory")) {
            return; // reported as a missing limit
        }
        long unit = switch (Character.toLowerCase(m.group(2).charAt(0))) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            default -> 1L << 30;
        };
        long heap = Long.parseLong(m.group(1)) * unit;
        var limit = limits.get("memory").getNumericalAmount();
        if (java.math.BigDecimal.valueOf(heap).multiply(java.math.BigDecimal.valueOf(2)).compareTo(limit) > 0) {
            problems.add(where + ": heap -Xmx" + m.group(1) + m.group(2) + " is more than half the memory limit "
                    + limits.get("memory") + ": metaspace, code, threads and buffers need the rest");
        }
    }

    // ---- settings: every BABBLE_*_URL names a Service of the render, every Babble service has what it needs ----

    static List<String> settings(Manifests m) {
        var problems = new ArrayList<String>();
        m.all(io.fabric8.kubernetes.api.model.ConfigMap.class).forEach(cm -> {
            if (cm.getData() != null) {
                cm.getData().forEach((key, value) -> url(problems, m, "ConfigMap " + cm.getMetadata().getName(), key, value));
            }
        });
        for (Workload w : m.workloads()) {
            for (Container c : w.containers()) {
                if (c.getEnv() != null) {
                    c.getEnv().forEach(e -> url(problems, m, w + ", container " + c.getName(), e.getName(), e.getValue()));
                }
            }
        }
        for (Workload w : babbleServices(m)) {
            Container c = w.containers().getFirst();
            var env = environment(m, c);
            String where = w + ": ";
            if (!"postgres".equals(env.get("BABBLE_STORE"))) {
                problems.add(where + "BABBLE_STORE is not postgres: each pod would keep data of its own");
            }
            if (!"nats".equals(env.get("BABBLE_BUS"))) {
                problems.add(where + "BABBLE_BUS is not nats: events would not leave the pod");
            }
            for (String store : STORE_SETTINGS.keySet()) {
                String user = STORE_SETTINGS.get(store);
                if ((user.isEmpty() || user.equals(w.name())) && !env.containsKey(store)) {
                    problems.add(where + "no " + store + " (the default is 127.0.0.1: the pod itself)");
                }
            }
            String key = env.get("BABBLE_INTERNAL_KEY");
            if (key == null || key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
                problems.add(where + "no BABBLE_INTERNAL_KEY of 32 bytes or more (the service refuses to start)");
            }
            for (String callee : calls(w)) {
                String setting = "BABBLE_" + callee.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_URL";
                if (!env.containsKey(setting)) {
                    problems.add(where + "calls " + callee + " but has no " + setting + " (the service refuses to start)");
                }
            }
        }
        return problems;
    }

    private static void url(List<String> problems, Manifests m, String where, String key, String value) {
        if (value == null || !URL_SETTING.matcher(key).matches() || key.endsWith("_PUBLIC_URL")) {
            return; // a public URL is an address shown to people outside the cluster, not one of the render's
        }
        for (String part : value.split(",")) {
            String text = VERSION_PREFIX.matcher(part.trim()).replaceFirst("");
            URI uri;
            try {
                uri = URI.create(text);
            } catch (IllegalArgumentException e) {
                problems.add(where + ": " + key + " is not a URL: " + text);
                continue;
            }
            if (uri.getHost() == null || uri.getScheme() == null) {
                problems.add(where + ": " + key + " has no scheme or host: " + text);
                continue;
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : DEFAULT_PORTS.getOrDefault(uri.getScheme(), -1);
            String[] labels = uri.getHost().split("\\.");
            if (labels.length > 1 && !labels[1].equals(m.namespace())) {
                problems.add(where + ": " + key + " points outside the namespace: " + text);
                continue;
            }
            Optional<Service> service = m.find(Service.class, labels[0]);
            if (service.isEmpty()) {
                problems.add(where + ": " + key + " names " + labels[0] + ", which is no Service of the render");
            } else if (service.get().getSpec().getPorts().stream().noneMatch(p -> p.getPort() == port)) {
                problems.add(where + ": " + key + " asks port " + port + " of Service " + labels[0] + ", which has no such port");
            }
        }
    }

    /** What a container sees in its environment: envFrom's ConfigMaps and Secrets, then env (fields as $(path)). */
    static Map<String, String> environment(Manifests m, Container c) {
        var env = new LinkedHashMap<String, String>();
        if (c.getEnvFrom() != null) {
            for (var from : c.getEnvFrom()) {
                if (from.getConfigMapRef() != null) {
                    m.entries("ConfigMap", from.getConfigMapRef().getName()).ifPresent(env::putAll);
                }
                if (from.getSecretRef() != null) {
                    m.entries("Secret", from.getSecretRef().getName()).ifPresent(env::putAll);
                }
            }
        }
        if (c.getEnv() != null) {
            for (var e : c.getEnv()) {
                var from = e.getValueFrom();
                String value = e.getValue();
                if (from != null && from.getFieldRef() != null) {
                    value = "$(" + from.getFieldRef().getFieldPath() + ")";
                } else if (from != null && from.getConfigMapKeyRef() != null) {
                    value = m.entries("ConfigMap", from.getConfigMapKeyRef().getName())
                            .map(d -> d.get(from.getConfigMapKeyRef().getKey())).orElse(null);
                } else if (from != null && from.getSecretKeyRef() != null) {
                    value = m.entries("Secret", from.getSecretKeyRef().getName())
                            .map(d -> d.get(from.getSecretKeyRef().getKey())).orElse(null);
                }
                if (value != null) {
                    env.put(e.getName(), value);
                }
            }
        }
        return env;
    }

    // ---- references: what a workload, an autoscaler or an Ingress names exists ----

    static List<String> references(Manifests m) {
        var problems = new ArrayList<String>();
        for (Workload w : m.workloads()) {
            var pod = w.template().getSpec();
            var volumes = new TreeSet<String>();
            for (Volume v : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
                volumes.add(v.getName());
                if (v.getConfigMap() != null && m.entries("ConfigMap", v.getConfigMap().getName()).isEmpty()) {
                    problems.add(w + ": volume " + v.getName() + " needs ConfigMap " + v.getConfigMap().getName() + ", which is not there");
                }
                if (v.getSecret() != null && m.entries("Secret", v.getSecret().getSecretName()).isEmpty()) {
                    problems.add(w + ": volume " + v.getName() + " needs Secret " + v.getSecret().getSecretName() + ", which is not there");
                }
                if (v.getPersistentVolumeClaim() != null
                        && m.find(PersistentVolumeClaim.class, v.getPersistentVolumeClaim().getClaimName()).isEmpty()) {
                    problems.add(w + ": volume " + v.getName() + " needs PersistentVolumeClaim "
                            + v.getPersistentVolumeClaim().getClaimName() + ", which is not there");
                }
            }
            if (w.object() instanceof StatefulSet s) {
                if (s.getSpec().getVolumeClaimTemplates() != null) {
                    s.getSpec().getVolumeClaimTemplates().forEach(t -> volumes.add(t.getMetadata().getName()));
                }
                var governing = m.find(Service.class, s.getSpec().getServiceName());
                if (governing.isEmpty() || !"None".equals(governing.get().getSpec().getClusterIP())
                        || !Network.selects(selector(governing.get()), w.podLabels())) {
                    problems.add(w + ": serviceName " + s.getSpec().getServiceName()
                            + " is not a headless Service of its pods");
                }
            }
            for (Container c : w.containers()) {
                String where = w + ", container " + c.getName();
                for (var mount : c.getVolumeMounts() == null ? List.<io.fabric8.kubernetes.api.model.VolumeMount>of() : c.getVolumeMounts()) {
                    if (!volumes.contains(mount.getName())) {
                        problems.add(where + ": mounts volume " + mount.getName() + ", which the pod does not have");
                    }
                }
                for (var from : c.getEnvFrom() == null ? List.<io.fabric8.kubernetes.api.model.EnvFromSource>of() : c.getEnvFrom()) {
                    if (from.getConfigMapRef() != null && !Boolean.TRUE.equals(from.getConfigMapRef().getOptional())
                            && m.entries("ConfigMap", from.getConfigMapRef().getName()).isEmpty()) {
                        problems.add(where + ": reads ConfigMap " + from.getConfigMapRef().getName() + ", which is not there");
                    }
                    if (from.getSecretRef() != null && !Boolean.TRUE.equals(from.getSecretRef().getOptional())
                            && m.entries("Secret", from.getSecretRef().getName()).isEmpty()) {
                        problems.add(where + ": reads Secret " + from.getSecretRef().getName() + ", which is not there");
                    }
                }
                for (var e : c.getEnv() == null ? List.<io.fabric8.kubernetes.api.model.EnvVar>of() : c.getEnv()) {
                    var from = e.getValueFrom();
                    if (from != null && from.getSecretKeyRef() != null && !Boolean.TRUE.equals(from.getSecretKeyRef().getOptional())
                            && m.entries("Secret", from.getSecretKeyRef().getName())
                                    .map(d -> !d.containsKey(from.getSecretKeyRef().getKey())).orElse(true)) {
                        problems.add(where + ": " + e.getName() + " reads key " + from.getSecretKeyRef().getKey()
                                + " of Secret " + from.getSecretKeyRef().getName() + ", which is not there");
                    }
                    if (from != null && from.getConfigMapKeyRef() != null && !Boolean.TRUE.equals(from.getConfigMapKeyRef().getOptional())
                            && m.entries("ConfigMap", from.getConfigMapKeyRef().getName())
                                    .map(d -> !d.containsKey(from.getConfigMapKeyRef().getKey())).orElse(true)) {
                        problems.add(where + ": " + e.getName() + " reads key " + from.getConfigMapKeyRef().getKey()
                                + " of ConfigMap " + from.getConfigMapKeyRef().getName() + ", which is not there");
                    }
                }
            }
        }
        for (HorizontalPodAutoscaler h : m.all(HorizontalPodAutoscaler.class)) {
            var target = h.getSpec().getScaleTargetRef();
            if (m.workloads().stream().noneMatch(w -> w.kind().equals(target.getKind()) && w.name().equals(target.getName()))) {
                problems.add("HorizontalPodAutoscaler " + h.getMetadata().getName() + " scales " + target.getKind() + " "
                        + target.getName() + ", which is not there");
            }
        }
        for (Ingress ingress : m.all(Ingress.class)) {
            for (var backend : backends(ingress)) {
                var service = m.find(Service.class, backend.getName());
                var port = backend.getPort();
                if (service.isEmpty() || service.get().getSpec().getPorts().stream().noneMatch(p ->
                        port.getName() != null ? port.getName().equals(p.getName()) : Objects.equals(port.getNumber(), p.getPort()))) {
                    problems.add("Ingress " + ingress.getMetadata().getName() + " sends to Service " + backend.getName()
                            + " port " + (port.getName() != null ? port.getName() : port.getNumber()) + ", which is not there");
                }
            }
        }
        return problems;
    }

    // ---- Services: each reaches something, on a port that is there ----

    static List<String> servicesSelectPods(Manifests m) {
        var problems = new ArrayList<String>();
        for (Service s : m.all(Service.class)) {
            String name = s.getMetadata().getName();
            if (s.getSpec().getSelector() == null || s.getSpec().getSelector().isEmpty()) {
                var slices = slices(m, name);
                if (slices.isEmpty() || slices.stream().allMatch(e -> e.getEndpoints() == null || e.getEndpoints().isEmpty())) {
                    problems.add("Service " + name + " has no selector and no EndpointSlice with an address");
                }
                for (ServicePort port : s.getSpec().getPorts()) {
                    boolean served = slices.stream().anyMatch(e -> e.getPorts() != null && e.getPorts().stream().anyMatch(p ->
                            Objects.equals(p.getName(), port.getName()) && Objects.equals(p.getPort(), targetNumber(port))));
                    if (!served) {
                        problems.add("Service " + name + " port " + port.getName() + " has no EndpointSlice port of that name and number");
                    }
                }
                continue;
            }
            var selected = selected(m, s);
            if (selected.isEmpty()) {
                problems.add("Service " + name + " selects no pod of the render");
            }
            for (Workload w : selected) {
                for (ServicePort port : s.getSpec().getPorts()) {
                    IntOrString target = port.getTargetPort() == null ? new IntOrString(port.getPort()) : port.getTargetPort();
                    if (containerPort(w.containers(), target).isEmpty()) {
                        problems.add("Service " + name + " port " + port.getPort() + " sends to " + text(target)
                                + ", which " + w + " does not listen on");
                    }
                }
            }
        }
        return problems;
    }

    // ---- NetworkPolicies: each caller reaches what it calls and nothing else; only the gateway from outside ----

    static List<String> networkPolicies(Manifests m) {
        var problems = new ArrayList<String>();
        String ns = m.namespace();
        var network = new Network(ns, m.all(NetworkPolicy.class));
        var babble = babbleServices(m);
        Map<String, Peer> pods = new LinkedHashMap<>();
        m.workloads().forEach(w -> pods.put(w.name(), pod(ns, w)));

        for (Workload caller : babble) {
            for (Workload callee : babble) {
                if (caller == callee) {
                    continue;
                }
                int port = httpPort(callee);
                boolean allowed = network.allows(pods.get(caller.name()), pods.get(callee.name()), port, "TCP");
                boolean calls = calls(caller).contains(serviceOf(callee));
                if (calls && !allowed) {
                    problems.add(caller.name() + " calls " + callee.name() + " but the NetworkPolicies stop it");
                } else if (!calls && allowed) {
                    problems.add(caller.name() + " can reach " + callee.name() + " but does not call it");
                }
            }
        }

        var controller = Peer.pod("the ingress controller", "ingress-nginx", Map.of(NAME, "ingress-nginx"), Map.of());
        var gatewayLabels = m.workload(GATEWAY).map(Manifests.Workload::podLabels).orElse(Map.of());
        var elsewhere = Peer.pod("a pod of another namespace, labelled as the gateway", "elsewhere", gatewayLabels, Map.of());
        var internet = Peer.outside("203.0.113.7");
        boolean gatewayReachable = false;
        for (Workload w : m.workloads()) {
            for (Container c : w.containers()) {
                for (ContainerPort p : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
                    int port = p.getContainerPort();
                    String protocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
                    boolean fromController = network.allows(controller, pods.get(w.name()), port, protocol);
                    if (w.name().equals(GATEWAY) && Integer.valueOf(port).equals(httpPort(w))) {
                        gatewayReachable = fromController;
                    } else if (fromController) {
                        problems.add(w + " port " + port + " is reachable from the ingress controller");
                    }
                    if (network.allows(elsewhere, pods.get(w.name()), port, protocol)) {
                        problems.add(w + " port " + port + " is reachable from another namespace");
                    }
                    if (network.allows(internet, pods.get(w.name()), port, protocol)) {
                        problems.add(w + " port " + port + " is reachable from outside the cluster");
                    }
                }
            }
        }
        if (m.workload(GATEWAY).isPresent() && !gatewayReachable) {
            problems.add("the gateway is not reachable from the ingress controller");
        }

        var dns = Peer.pod("kube-dns", "kube-system", Map.of("k8s-app", "kube-dns"), Map.of("dns", 53));
        for (Workload w : m.workloads()) {
            if (!network.allows(pods.get(w.name()), dns, 53, "UDP")) {
                problems.add(w + " cannot ask DNS (kube-dns, UDP 53)");
            }
        }

        for (Workload w : babble) {
            var env = environment(m, w.containers().getFirst());
            STORE_SETTINGS.forEach((setting, user) -> {
                String url = env.get(setting);
                if (url == null) {
                    return; // the settings rule reports it
                }
                boolean needs = user.isEmpty() || user.equals(w.name());
                for (var target : targets(m, url)) {
                    boolean allowed = network.allows(pods.get(w.name()), target.peer(), target.port(), "TCP");
                    if (needs && !allowed) {
                        problems.add(w.name() + " cannot reach " + setting + " (" + target.peer() + " port " + target.port() + ")");
                    } else if (!needs && allowed) {
                        problems.add(w.name() + " can reach " + setting + " (" + target.peer() + ") but does not use it");
                    }
                }
            });
        }
        return problems;
    }

    private record Target(Peer peer, int port) {
    }

    /** Where a store URL's connections end up: the Service's pods, or its EndpointSlices' addresses. */
    private static List<Target> targets(Manifests m, String url) {
        var targets = new ArrayList<Target>();
        URI uri = URI.create(url.split(",")[0].trim());
        int port = uri.getPort() >= 0 ? uri.getPort() : DEFAULT_PORTS.getOrDefault(uri.getScheme(), -1);
        var service = m.find(Service.class, uri.getHost().split("\\.")[0]);
        if (service.isEmpty()) {
            return targets; // the settings rule reports it
        }
        var servicePort = service.get().getSpec().getPorts().stream().filter(p -> p.getPort() == port).findFirst();
        if (servicePort.isEmpty()) {
            return targets;
        }
        if (selector(service.get()) == null) {
            for (EndpointSlice slice : slices(m, service.get().getMetadata().getName())) {
                var slicePort = slice.getPorts().stream().filter(p -> Objects.equals(p.getName(), servicePort.get().getName()))
                        .findFirst();
                for (var endpoint : slice.getEndpoints()) {
                    for (String address : endpoint.getAddresses()) {
                        targets.add(new Target(Peer.outside(address), slicePort.map(p -> p.getPort()).orElse(port)));
                    }
                }
            }
        } else {
            IntOrString target = servicePort.get().getTargetPort() == null ? new IntOrString(port) : servicePort.get().getTargetPort();
            for (Workload w : selected(m, service.get())) {
                containerPort(w.containers(), target).ifPresent(p -> targets.add(new Target(pod(m.namespace(), w), p)));
            }
        }
        return targets;
    }

    // ---- Ingress: only the gateway is exposed, and the live WebSocket is not cut by the proxy ----

    static List<String> ingress(Manifests m) {
        var problems = new ArrayList<String>();
        for (Service s : m.all(Service.class)) {
            String type = s.getSpec().getType() == null ? "ClusterIP" : s.getSpec().getType();
            if (!type.equals("ClusterIP")) {
                problems.add("Service " + s.getMetadata().getName() + " is of type " + type + ": only the Ingress exposes anything");
            }
        }
        boolean root = false;
        boolean live = false;
        for (Ingress ingress : m.all(Ingress.class)) {
            for (var backend : backends(ingress)) {
                if (!backend.getName().equals(GATEWAY)) {
                    problems.add("Ingress " + ingress.getMetadata().getName() + " exposes " + backend.getName() + ": only the gateway is public");
                }
            }
            for (var rule : ingress.getSpec().getRules()) {
                for (var path : rule.getHttp().getPaths()) {
                    if (!path.getBackend().getService().getName().equals(GATEWAY)) {
                        continue;
                    }
                    root |= path.getPath().equals("/") && "Prefix".equals(path.getPathType());
                    if (path.getPath().equals("/api/v1/live")) {
                        var annotations = ingress.getMetadata().getAnnotations() == null ? Map.<String, String>of()
                                : ingress.getMetadata().getAnnotations();
                        live = true;
                        for (String timeout : List.of("proxy-read-timeout", "proxy-send-timeout")) {
                            String value = annotations.get("nginx.ingress.kubernetes.io/" + timeout);
                            if (value == null || !value.matches("\\d+") || Integer.parseInt(value) < 300) {
                                problems.add("Ingress " + ingress.getMetadata().getName() + ": /api/v1/live needs "
                                        + timeout + " of 300 s or more (the gateway closes a socket after 5 silent minutes)");
                            }
                        }
                    }
                }
            }
        }
        if (!root) {
            problems.add("no Ingress sends / (Prefix) to the gateway");
        }
        if (!live) {
            problems.add("no Ingress sends /api/v1/live to the gateway with WebSocket timeouts");
        }
        return problems;
    }

    // ---- namespace: one, and it enforces the restricted Pod Security Standard ----

    static List<String> namespace(Manifests m) {
        var problems = new ArrayList<String>();
        var namespaces = m.all(Namespace.class);
        if (namespaces.size() != 1) {
            problems.add("the render has " + namespaces.size() + " Namespaces, not one");
            return problems;
        }
        String name = namespaces.getFirst().getMetadata().getName();
        var labels = namespaces.getFirst().getMetadata().getLabels();
        if (labels == null || !"restricted".equals(labels.get("pod-security.kubernetes.io/enforce"))) {
            problems.add("Namespace " + name + " does not enforce the restricted Pod Security Standard");
        }
        for (var o : m.objects()) {
            if (!(o instanceof Namespace) && !name.equals(o.getMetadata().getNamespace())) {
                problems.add(o.getKind() + " " + o.getMetadata().getName() + " is not in namespace " + name);
            }
        }
        return problems;
    }

    // ---- disruption budgets: every replicated workload keeps all but one through a drain ----

    static List<String> disruptionBudgets(Manifests m) {
        var problems = new ArrayList<String>();
        var budgets = m.all(PodDisruptionBudget.class);
        for (Workload w : m.workloads()) {
            int replicas = replicas(m, w);
            var mine = budgets.stream().filter(b -> Network.selects(b.getSpec().getSelector(), w.podLabels())).toList();
            if (replicas > 1 && mine.isEmpty()) {
                problems.add(w + " runs " + replicas + " replicas but no PodDisruptionBudget covers it");
            }
            for (var budget : mine) {
                var spec = budget.getSpec();
                boolean allowsOne = spec.getMaxUnavailable() != null
                        ? !List.of("0", "0%").contains(text(spec.getMaxUnavailable()))
                        : spec.getMinAvailable() != null && spec.getMinAvailable().getIntVal() != null
                                && spec.getMinAvailable().getIntVal() < replicas;
                if (!allowsOne) {
                    problems.add("PodDisruptionBudget " + budget.getMetadata().getName() + " lets no pod of " + w
                            + " be evicted: a node drain would never finish");
                }
            }
        }
        for (var budget : budgets) {
            if (m.workloads().stream().noneMatch(w -> Network.selects(budget.getSpec().getSelector(), w.podLabels()))) {
                problems.add("PodDisruptionBudget " + budget.getMetadata().getName() + " covers no pod of the render");
            }
        }
        return problems;
    }

    // ---- the code: every service of the catalog runs, on its port, and calls what its code calls ----

    static List<String> matchesTheCode(Manifests m) {
        return matchesTheCode(m, Sources.catalog(), Sources.callGraph());
    }

    static List<String> matchesTheCode(Manifests m, Map<String, Integer> catalog, Map<String, Set<String>> callGraph) {
        var problems = new ArrayList<String>();
        for (var entry : catalog.entrySet()) {
            String name = entry.getKey();
            if (m.workload(name).filter(w -> "service".equals(w.podLabels().get(COMPONENT))).isEmpty()) {
                problems.add("service " + name + " (Catalog) has no workload labelled " + COMPONENT + "=service");
                continue;
            }
            // The service's own workload, and any other version of it beside (a canary such as quotes-v2).
            for (Workload w : babbleServices(m).stream().filter(w -> w.name().equals(name) || serviceOf(w).equals(name)).toList()) {
                matchesTheCode(problems, m, w, name, entry.getValue(), callGraph);
            }
        }
        for (Workload w : babbleServices(m)) {
            if (!catalog.containsKey(serviceOf(w))) {
                problems.add(w + " is labelled a Babble service but is not in the Catalog");
            }
        }
        return problems;
    }

    private static void matchesTheCode(List<String> problems, Manifests m, Workload w, String name, int port,
                                       Map<String, Set<String>> callGraph) {
        Container c = w.containers().getFirst();
        if (!List.of("service", name).equals(c.getArgs())) {
            problems.add(w + ": its container's args are " + c.getArgs() + ", not [service, " + name + "]");
        }
        if (c.getImage() == null || !c.getImage().startsWith("babble/" + name + ":")) {
            problems.add(w + ": image " + c.getImage() + " is not babble/" + name + ":<tag>");
        }
        if (!Integer.valueOf(port).equals(httpPort(w))) {
            problems.add(w + ": listens on " + httpPort(w) + " (port http), but the service listens on " + port);
        }
        var service = m.find(Service.class, name);
        if (service.isEmpty() || service.get().getSpec().getPorts().stream().noneMatch(p -> p.getPort() == port)) {
            problems.add("service " + name + " has no Service " + name + " with port " + port);
        }
        var declared = calls(w);
        var actual = callGraph.getOrDefault(name, Set.of());
        if (!declared.equals(actual)) {
            problems.add(w + ": annotation " + CALLS + " says it calls " + declared + ", its code calls " + actual);
        }
    }

    // ---- overlay-specific rules ----

    /** prod: autoscaling on gateway, messages and search, and at least two gateways. */
    static List<String> autoscaled(Manifests m) {
        var problems = new ArrayList<String>();
        for (String name : new TreeSet<>(AUTOSCALED)) {
            var w = m.workload(name);
            var hpa = w.flatMap(x -> autoscaler(m, x));
            if (hpa.isEmpty()) {
                problems.add("no HorizontalPodAutoscaler scales " + name);
                continue;
            }
            var spec = hpa.get().getSpec();
            int min = spec.getMinReplicas() == null ? 1 : spec.getMinReplicas();
            if (min < 2) {
                problems.add("HorizontalPodAutoscaler " + hpa.get().getMetadata().getName() + " may scale " + name + " to " + min);
            }
            if (spec.getMaxReplicas() <= min) {
                problems.add("HorizontalPodAutoscaler " + hpa.get().getMetadata().getName() + " cannot scale up");
            }
            boolean cpu = spec.getMetrics() != null && spec.getMetrics().stream().anyMatch(metric ->
                    metric.getResource() != null && "cpu".equals(metric.getResource().getName()));
            if (!cpu) {
                problems.add("HorizontalPodAutoscaler " + hpa.get().getMetadata().getName() + " has no CPU metric");
            }
            if (w.get().replicas() != null) {
                problems.add(w.get() + " sets replicas, which its autoscaler owns: a re-apply would undo a scale-up");
            }
        }
        m.workload(GATEWAY).ifPresent(g -> {
            if (replicas(m, g) < 2) {
                problems.add("only " + replicas(m, g) + " gateway replica(s)");
            }
        });
        return problems;
    }

    /** dev: one replica of everything, the stores in the cluster, nothing autoscaled. */
    static List<String> oneOfEach(Manifests m) {
        var problems = new ArrayList<String>();
        for (Workload w : m.workloads()) {
            if (replicas(m, w) != 1) {
                problems.add(w + " runs " + replicas(m, w) + " replicas, not one");
            }
        }
        for (String store : new TreeSet<>(DEV_STORES)) {
            if (m.find(StatefulSet.class, store).isEmpty()) {
                problems.add("no StatefulSet " + store);
            }
        }
        m.all(HorizontalPodAutoscaler.class).forEach(h -> problems.add("HorizontalPodAutoscaler " + h.getMetadata().getName() + " in dev"));
        return problems;
    }

    // ---- helpers ----

    static List<Workload> babbleServices(Manifests m) {
        return m.workloads().stream().filter(w -> "service".equals(w.podLabels().get(COMPONENT))).toList();
    }

    /**
     * The Babble service a workload runs: its container's arguments ({@code service quotes}), which a second
     * version's workload (quotes-v2) shares with the first; else its name.
     */
    static String serviceOf(Workload w) {
        var args = w.containers().getFirst().getArgs();
        return args != null && args.size() == 2 && args.getFirst().equals("service") ? args.get(1) : w.name();
    }

    /** The services a workload says it calls (annotation babble/calls). */
    static Set<String> calls(Workload w) {
        String value = w.annotation(CALLS);
        if (value == null) {
            return Set.of();
        }
        return new TreeSet<>(Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }

    static int replicas(Manifests m, Workload w) {
        int declared = w.replicas() == null ? 1 : w.replicas();
        return autoscaler(m, w).map(h -> {
            int min = h.getSpec().getMinReplicas() == null ? 1 : h.getSpec().getMinReplicas();
            return w.replicas() == null ? min : Math.max(declared, min);
        }).orElse(declared);
    }

    private static Optional<HorizontalPodAutoscaler> autoscaler(Manifests m, Workload w) {
        return m.all(HorizontalPodAutoscaler.class).stream().filter(h -> h.getSpec().getScaleTargetRef().getKind().equals(w.kind())
                && h.getSpec().getScaleTargetRef().getName().equals(w.name())).findFirst();
    }

    private static Peer pod(String namespace, Workload w) {
        var ports = new TreeMap<String, Integer>();
        for (Container c : w.containers()) {
            for (ContainerPort p : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
                if (p.getName() != null) {
                    ports.put(p.getName(), p.getContainerPort());
                }
            }
        }
        return Peer.pod(w.name(), namespace, w.podLabels(), ports);
    }

    private static Integer httpPort(Workload w) {
        return containerPort(w.containers(), new IntOrString("http")).orElse(null);
    }

    private static Optional<Integer> containerPort(List<Container> containers, IntOrString port) {
        for (Container c : containers) {
            for (ContainerPort p : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
                if (port.getIntVal() != null ? port.getIntVal().equals(p.getContainerPort()) : port.getStrVal().equals(p.getName())) {
                    return Optional.of(p.getContainerPort());
                }
            }
        }
        return Optional.empty();
    }

    private static io.fabric8.kubernetes.api.model.LabelSelector selector(Service s) {
        var selector = s.getSpec().getSelector();
        return selector == null || selector.isEmpty() ? null
                : new io.fabric8.kubernetes.api.model.LabelSelector(null, selector);
    }

    private static List<Workload> selected(Manifests m, Service s) {
        var selector = selector(s);
        return selector == null ? List.of() : m.workloads().stream().filter(w -> Network.selects(selector, w.podLabels())).toList();
    }

    private static List<EndpointSlice> slices(Manifests m, String service) {
        return m.all(EndpointSlice.class).stream().filter(e -> e.getMetadata().getLabels() != null
                && service.equals(e.getMetadata().getLabels().get("kubernetes.io/service-name"))).toList();
    }

    private static Integer targetNumber(ServicePort port) {
        return port.getTargetPort() != null && port.getTargetPort().getIntVal() != null ? port.getTargetPort().getIntVal() : port.getPort();
    }

    private static List<io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend> backends(Ingress ingress) {
        var backends = new ArrayList<io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend>();
        if (ingress.getSpec().getDefaultBackend() != null && ingress.getSpec().getDefaultBackend().getService() != null) {
            backends.add(ingress.getSpec().getDefaultBackend().getService());
        }
        for (var rule : ingress.getSpec().getRules() == null ? List.<io.fabric8.kubernetes.api.model.networking.v1.IngressRule>of()
                : ingress.getSpec().getRules()) {
            if (rule.getHttp() != null) {
                rule.getHttp().getPaths().forEach(p -> backends.add(p.getBackend().getService()));
            }
        }
        return backends;
    }

    private static String text(IntOrString value) {
        return value.getIntVal() != null ? value.getIntVal().toString() : value.getStrVal();
    }
}

package babble.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One rendered overlay, every object typed with fabric8's Kubernetes model. Parsing is the schema check: an unknown
 * kind, a value of the wrong type or a field the model does not know (a misspelt {@code readinesProbe}, which
 * Kubernetes would drop without a word on a lenient apply) fails it, naming every problem.
 */
final class Manifests {
    /** The kinds an overlay may hold, by apiVersion/kind; anything else is a mistake or needs a look here first. */
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("discovery.k8s.io/v1/EndpointSlice", EndpointSlice.class));

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** A Deployment or a StatefulSet: what runs pods. */
    record Workload(HasMetadata object, Integer replicas, LabelSelector selector, PodTemplateSpec template) {
        String kind() {
            return object.getKind();
        }

        String name() {
            return object.getMetadata().getName();
        }

        Map<String, String> podLabels() {
            var labels = template.getMetadata() == null ? null : template.getMetadata().getLabels();
            return labels == null ? Map.of() : labels;
        }

        List<Container> containers() {
            return template.getSpec().getContainers();
        }

        String annotation(String key) {
            var annotations = object.getMetadata().getAnnotations();
            return annotations == null ? null : annotations.get(key);
        }

        @Override
        public String toString() {
            return kind() + " " + name();
        }
    }

    private final List<HasMetadata> objects;

    private Manifests(List<HasMetadata> objects) {
        this.objects = objects;
    }

    /** Parses kustomize's output; fails with every schema problem found. */
    static Manifests parse(String yaml) {
        var problems = new ArrayList<String>();
        var objects = new ArrayList<HasMetadata>();
        List<Map<String, Object>> documents;
        try (var docs = YAML.readerFor(Map.class).<Map<String, Object>>readValues(yaml)) {
            documents = docs.readAll();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not YAML: " + e.getMessage(), e);
        }
        for (Map<String, Object> document : documents) {
            if (document == null || document.isEmpty()) {
                continue;
            }
            String id = document.get("apiVersion") + "/" + document.get("kind");
            String name = document.get("metadata") instanceof Map<?, ?> m ? String.valueOf(m.get("name")) : "?";
            Class<? extends HasMetadata> type = KINDS.get(id);
            if (type == null) {
                problems.add(document.get("kind") + " " + name + ": apiVersion/kind " + id + " is not one the manifests use");
                continue;
            }
            try {
                HasMetadata object = YAML.convertValue(document, type);
                unknownFields(object, document.get("kind") + " " + name, problems);
                objects.add(object);
            } catch (IllegalArgumentException e) {
                problems.add(document.get("kind") + " " + name + ": " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the manifests do not fit the Kubernetes schema:\n  "
                    + String.join("\n  ", problems));
        }
        return new Manifests(objects);
    }

    /**
     * fabric8's model keeps fields it does not know in {@code additionalProperties} instead of failing; any found
     * anywhere in the tree is a field Kubernetes does not have (or has elsewhere).
     */
    private static void unknownFields(Object value, String path, List<String> problems) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Enum<?>) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, problems));
            return;
        }
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                unknownFields(item, path + "[" + i++ + "]", problems);
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Class<?> type = value.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                try {
                    field.setAccessible(true);
                    Object child = field.get(value);
                    if (field.getName().equals("additionalProperties") && child instanceof Map<?, ?> extra) {
                        extra.keySet().forEach(k -> problems.add(path + ": unknown field '" + k + "'"));
                    } else if (field.isAnnotationPresent(JsonProperty.class)) {
                        unknownFields(child, path + "." + field.getAnnotation(JsonProperty.class).value(), problems);
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    problems.add(path + ": cannot inspect " + field.getName() + ": " + e);
                }
            }
        }
    }

    List<HasMetadata> objects() {
        return objects;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    <T extends HasMetadata> T get(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    /** Removes an object (for tests that break a copy on purpose). */
    void remove(Class<? extends HasMetadata> type, String name) {
        if (!objects.removeIf(o -> type.isInstance(o) && name.equals(o.getMetadata().getName()))) {
            throw new AssertionError("no " + type.getSimpleName() + " " + name + " to remove");
        }
    }

    List<Workload> workloads() {
        var workloads = new ArrayList<Workload>();
        for (HasMetadata o : objects) {
            if (o instanceof Deployment d) {
                workloads.add(new Workload(d, d.getSpec().getReplicas(), d.getSpec().getSelector(), d.getSpec().getTemplate()));
            } else if (o instanceof StatefulSet s) {
                workloads.add(new Workload(s, s.getSpec().getReplicas(), s.getSpec().getSelector(), s.getSpec().getTemplate()));
            }
        }
        return workloads;
    }

    Optional<Workload> workload(String name) {
        return workloads().stream().filter(w -> w.name().equals(name)).findFirst();
    }

    /** The namespace every namespaced object is rendered into. */
    String namespace() {
        return objects.stream().filter(o -> !(o instanceof Namespace)).map(o -> o.getMetadata().getNamespace())
                .filter(java.util.Objects::nonNull).findFirst().orElse("default");
    }

    /** A ConfigMap's or Secret's entries as text (Secret data decoded). */
    Optional<Map<String, String>> entries(String kind, String name) {
        if (kind.equals("ConfigMap")) {
            return find(ConfigMap.class, name).map(c -> c.getData() == null ? Map.of() : c.getData());
        }
        return find(Secret.class, name).map(s -> {
            var entries = new LinkedHashMap<String, String>();
            if (s.getData() != null) {
                s.getData().forEach((k, v) -> entries.put(k, new String(Base64.getDecoder().decode(v),
                        java.nio.charset.StandardCharsets.UTF_8)));
            }
            if (s.getStringData() != null) {
                entries.putAll(s.getStringData());
            }
            return entries;
        });
    }
}

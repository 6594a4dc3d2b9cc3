package babble.deploy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the NetworkPolicies of one namespace let through, by Kubernetes' rules: a pod selected by a policy of a
 * direction (Ingress, Egress) takes only what some such policy allows in that direction; a pod no policy selects
 * takes everything. A connection needs both the sender's egress and the receiver's ingress.
 */
final class Network {
    /** A pod (namespace, labels, named container ports) or an address outside the cluster. */
    record Peer(String name, String namespace, Map<String, String> labels, Map<String, Integer> ports, String address) {
        static Peer pod(String name, String namespace, Map<String, String> labels, Map<String, Integer> ports) {
            return new Peer(name, namespace, labels, ports, null);
        }

        static Peer outside(String address) {
            return new Peer(address, null, Map.of(), Map.of(), address);
        }

        boolean isPod() {
            return address == null;
        }

        @Override
        public String toString() {
            return isPod() ? name + " (namespace " + namespace + ")" : address;
        }
    }

    private final String namespace;
    private final List<NetworkPolicy> policies;

    Network(String namespace, List<NetworkPolicy> policies) {
        this.namespace = namespace;
        this.policies = policies;
    }

    boolean allows(Peer from, Peer to, int port, String protocol) {
        return direction(from, to, port, protocol, "Egress") && direction(to, from, port, protocol, "Ingress");
    }

    /** Whether {@code subject}'s policies of one direction let it talk to {@code other} ({@code to} for ports). */
    private boolean direction(Peer subject, Peer other, int port, String protocol, String type) {
        if (!subject.isPod() || !subject.namespace().equals(namespace)) {
            return true; // policies here select only pods of this namespace
        }
        Peer destination = type.equals("Egress") ? other : subject;
        boolean isolated = false;
        for (NetworkPolicy policy : policies) {
            if (!types(policy).contains(type) || !selects(policy.getSpec().getPodSelector(), subject.labels())) {
                continue;
            }
            isolated = true;
            if (type.equals("Ingress") && policy.getSpec().getIngress() != null) {
                for (var rule : policy.getSpec().getIngress()) {
                    if (peers(rule.getFrom(), other) && ports(rule.getPorts(), destination, port, protocol)) {
                        return true;
                    }
                }
            }
            if (type.equals("Egress") && policy.getSpec().getEgress() != null) {
                for (var rule : policy.getSpec().getEgress()) {
                    if (peers(rule.getTo(), other) && ports(rule.getPorts(), destination, port, protocol)) {
                        return true;
                    }
                }
            }
        }
        return !isolated;
    }

    private static List<String> types(NetworkPolicy policy) {
        if (policy.getSpec().getPolicyTypes() != null && !policy.getSpec().getPolicyTypes().isEmpty()) {
            return policy.getSpec().getPolicyTypes();
        }
        var types = new ArrayList<>(List.of("Ingress"));
        if (policy.getSpec().getEgress() != null) {
            types.add("Egress");
        }
        return types;
    }

    private boolean peers(List<NetworkPolicyPeer> peers, Peer other) {
        if (peers == null || peers.isEmpty()) {
            return true; // no "from"/"to": every source or destination
        }
        for (NetworkPolicyPeer peer : peers) {
            if (peer.getIpBlock() != null) {
                if (!other.isPod() && inBlock(other.address(), peer.getIpBlock())) {
                    return true;
                }
                continue;
            }
            if (!other.isPod()) {
                continue;
            }
            boolean namespaceMatches = peer.getNamespaceSelector() == null
                    ? other.namespace().equals(namespace)
                    : selects(peer.getNamespaceSelector(), Map.of("kubernetes.io/metadata.name", other.namespace()));
            boolean podMatches = peer.getPodSelector() == null || selects(peer.getPodSelector(), other.labels());
            if (namespaceMatches && podMatches) {
                return true;
            }
        }
        return false;
    }

    private static boolean ports(List<NetworkPolicyPort> ports, Peer destination, int port, String protocol) {
        if (ports == null || ports.isEmpty()) {
            return true;
        }
        for (NetworkPolicyPort p : ports) {
            String wanted = p.getProtocol() == null ? "TCP" : p.getProtocol();
            if (!wanted.equals(protocol)) {
                continue;
            }
            IntOrString value = p.getPort();
            if (value == null) {
                return true;
            }
            if (value.getIntVal() != null) {
                int last = p.getEndPort() == null ? value.getIntVal() : p.getEndPort();
                if (port >= value.getIntVal() && port <= last) {
                    return true;
                }
            } else if (Integer.valueOf(port).equals(destination.ports().get(value.getStrVal()))) {
                return true; // a named port means that port of the destination pod
            }
        }
        return false;
    }

    /** Kubernetes' label selector: every matchLabels pair and every expression must hold; empty matches all. */
    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        if (selector.getMatchLabels() != null) {
            for (var e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (var expression : selector.getMatchExpressions()) {
                String value = labels.get(expression.getKey());
                List<String> values = expression.getValues() == null ? List.of() : expression.getValues();
                boolean holds = switch (expression.getOperator()) {
                    case "In" -> value != null && values.contains(value);
                    case "NotIn" -> value == null || !values.contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    default -> throw new AssertionError("unknown selector operator " + expression.getOperator());
                };
                if (!holds) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean inBlock(String address, IPBlock block) {
        if (!inCidr(address, block.getCidr())) {
            return false;
        }
        return block.getExcept() == null || block.getExcept().stream().noneMatch(e -> inCidr(address, e));
    }

    static boolean inCidr(String address, String cidr) {
        String[] parts = cidr.split("/");
        int bits = parts.length > 1 ? Integer.parseInt(parts[1]) : 32;
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        return (ipv4(address) & mask) == (ipv4(parts[0]) & mask);
    }

    private static long ipv4(String address) {
        String[] octets = address.split("\\.");
        if (octets.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        long value = 0;
        for (String octet : octets) {
            value = value << 8 | Integer.parseInt(octet);
        }
        return value;
    }
}

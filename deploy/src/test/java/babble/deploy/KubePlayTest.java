package babble.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@link KubePlay} hands podman: the dev overlay's services only, runnable without a cluster's DNS. */
class KubePlayTest {
    private final KubePlay play = KubePlay.of(Kustomize.overlay("dev"), "kubeplay_test");
    private final Manifests manifests = Manifests.parse(play.yaml());

    @Test
    void everyServiceRunsAsADeploymentAndNoStoreOrClusterObjectIsLeft() {
        assertThat(manifests.workloads()).allSatisfy(w -> assertThat(w.kind()).isEqualTo("Deployment"))
                .extracting(Manifests.Workload::name).containsExactlyInAnyOrderElementsOf(Sources.catalog().keySet());
        assertThat(manifests.objects()).extracting(o -> o.getKind()).doesNotContain("Service", "NetworkPolicy",
                "Ingress", "Namespace", "StatefulSet");
        assertThat(play.pods()).extracting(KubePlay.Pod::port)
                .containsExactlyInAnyOrderElementsOf(Sources.catalog().values());
    }

    @Test
    void podsShareTheHostsNetworkAndReachEachServiceOnLoopback() {
        assertThat(manifests.workloads()).allSatisfy(w -> {
            assertThat(w.template().getSpec().getHostNetwork()).isTrue();
            assertThat(w.containers()).allSatisfy(c -> {
                assertThat(c.getImage()).startsWith("localhost/babble/");
                assertThat(c.getImagePullPolicy()).isEqualTo("Never");
                assertThat(c.getPorts()).isNullOrEmpty();
                assertThat(c.getEnvFrom()).allSatisfy(from -> assertThat(from.getSecretRef()).isNull());
            });
        });
        var settings = manifests.objects().stream().filter(o -> o.getMetadata().getName().startsWith("babble-config"))
                .map(o -> ((io.fabric8.kubernetes.api.model.ConfigMap) o).getData()).findFirst().orElseThrow();
        assertThat(settings).containsEntry("BABBLE_USERS_URL", "http://127.0.0.1:8101")
                .containsEntry("BABBLE_POSTGRES_URL", "postgresql://127.0.0.1:5432")
                .containsEntry("BABBLE_NATS_URL", "nats://127.0.0.1:4222");
        assertThat(manifests.objects()).filteredOn(o -> o.getMetadata().getName().startsWith("babble-secrets"))
                .singleElement().satisfies(o -> assertThat(o.getKind()).isEqualTo("ConfigMap"));
        assertThat(KubePlay.onLoopback("v1@http://quotes:8104,v2@http://quotes-v2:8104", java.util.Set.of("quotes", "quotes-v2")))
                .isEqualTo("v1@http://127.0.0.1:8104,v2@http://127.0.0.1:8104");
    }

    @Test
    void searchKeepsItsIndexOnAVolumeOfItsOwnAndTheSettingsNameTheTestsNamespace() {
        var search = manifests.workloads().stream().filter(w -> w.name().equals("search")).findFirst().orElseThrow();
        assertThat(search.template().getSpec().getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("index");
            assertThat(v.getEmptyDir()).isNotNull();
        });
        assertThat(manifests.objects()).filteredOn(o -> o.getMetadata().getName().startsWith("babble-config"))
                .singleElement().satisfies(o -> assertThat(((io.fabric8.kubernetes.api.model.ConfigMap) o).getData())
                        .containsEntry("BABBLE_NAMESPACE", "kubeplay_test"));
    }
}

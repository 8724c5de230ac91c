package dev.kdk.cluster;

import static dev.kdk.cluster.InstallTest.EXAMPLE;
import static dev.kdk.cluster.InstallTest.NS;
import static dev.kdk.cluster.InstallTest.assertClusterObjects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kdk.KdkException;
import dev.kdk.testing.MockHostCluster;
import dev.kdk.values.ValuesLoader;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UninstallTest {
    final MockHostCluster server = new MockHostCluster();
    final KubernetesClient client = server.client();

    @BeforeEach
    void install() {
        Install install = new Install(client, NS);
        install.values = new ValuesLoader.Request(List.of(EXAMPLE.toString()), List.of(), List.of(), "kdk");
        install.createNamespace = true;
        install.run();
        for (String c : List.of("testing1", "testing2")) {
            client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder()
                    .withNewMetadata().withName("docker-kdk-" + c + "-0").addToLabels(Labels.INSTANCE, "kdk")
                    .addToLabels(Labels.CLUSTER, c).endMetadata().build()).create();
        }
    }

    @AfterEach
    void close() {
        server.close();
    }

    boolean pvc(String cluster) {
        return client.persistentVolumeClaims().inNamespace(NS).withName("docker-kdk-" + cluster + "-0").get() != null;
    }

    @Test
    void uninstallOneKeepsItsDataAndTheOther() {
        Uninstall uninstall = new Uninstall(client, NS);
        uninstall.names = List.of("testing2");
        List<ClusterDeleter.Result> results = uninstall.run();

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.deleted()).hasSize(9).first().isEqualTo("StatefulSet kdk-testing2");
            assertThat(r.keptVolumes()).containsExactly("docker-kdk-testing2-0");
        });
        assertClusterObjects(client, "testing2", false);
        assertClusterObjects(client, "testing1", true);
        assertThat(pvc("testing2")).isTrue();
        assertThat(new ReleaseStore(client, NS).load("kdk").clusters()).containsOnlyKeys("testing1");
    }

    @Test
    void uninstallAllWithDeleteData() {
        Uninstall uninstall = new Uninstall(client, NS);
        uninstall.all = true;
        uninstall.deleteData = true;
        assertThat(uninstall.run()).extracting(ClusterDeleter.Result::cluster).containsExactly("testing1", "testing2");
        assertClusterObjects(client, "testing1", false);
        assertClusterObjects(client, "testing2", false);
        assertThat(pvc("testing1")).isFalse();
        assertThat(pvc("testing2")).isFalse();
        assertThat(client.configMaps().inNamespace(NS).withName(ReleaseStore.name("kdk")).get()).isNull();
    }

    @Test
    void unknownNameFailsBeforeDeletingAnything() {
        server.api().clearJournal();
        Uninstall uninstall = new Uninstall(client, NS);
        uninstall.names = List.of("testing1", "nope");
        assertThatThrownBy(uninstall::run).isInstanceOf(KdkException.class)
                .hasMessage("no cluster nope in release kdk (namespace kdk-test); installed: testing1, testing2")
                .satisfies(e -> assertThat(((KdkException) e).exitCode()).isEqualTo(KdkException.USAGE));
        assertThat(server.api().writes()).isEmpty();
    }
}

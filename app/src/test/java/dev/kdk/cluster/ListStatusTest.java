package dev.kdk.cluster;

import static dev.kdk.cluster.ClusterFixtures.create;
import static dev.kdk.cluster.ClusterFixtures.event;
import static dev.kdk.cluster.InstallTest.EXAMPLE;
import static dev.kdk.cluster.InstallTest.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kdk.KdkException;
import dev.kdk.testing.Golden;
import dev.kdk.testing.MockHostCluster;
import dev.kdk.values.ValuesLoader;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** kdk list / status output against golden files; times are fixed (install at T0, shown at NOW). */
class ListStatusTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");

    final MockHostCluster server = new MockHostCluster();
    final KubernetesClient client = server.client();

    @BeforeEach
    void install() {
        server.api().clock(Clock.fixed(T0, ZoneOffset.UTC));
        Install install = new Install(client, NS);
        install.values = new ValuesLoader.Request(List.of(EXAMPLE.toString()), List.of(), List.of(), "kdk");
        install.createNamespace = true;
        install.clock = Clock.fixed(T0, ZoneOffset.UTC);
        install.run();
        create(client, ClusterFixtures.ready(NS, "testing1", 2, "2026-02-28T23:00:00Z"));
        create(client, ClusterFixtures.imagePullBackOff(NS, "testing2"));
        create(client, event(NS, "kdk-testing2-0", "e1", "Normal", "Scheduled",
                "Successfully assigned kdk-test/kdk-testing2-0 to node-a", "2026-02-28T23:50:00Z"));
        create(client, event(NS, "kdk-testing2-0", "e2", "Normal", "Pulling",
                "Pulling image \"registry.example.org/kdk/kdk-node:0.1.0\"", "2026-02-28T23:51:00Z"));
        create(client, event(NS, "kdk-testing2-0", "e3", "Warning", "Failed",
                "Failed to pull image \"registry.example.org/kdk/kdk-node:0.1.0\": not found",
                "2026-02-28T23:52:00Z"));
    }

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void listTable() {
        List<ClusterInfo> clusters = new ListClusters(client, NS).run();
        assertThat(clusters).extracting(c -> c.phase().phase()).containsExactly(Phase.Ready, Phase.Failed);
        Golden.assertMatches("cluster/list.txt", ListClusters.table(clusters, NOW));
    }

    @Test
    void listJsonAndYaml() {
        List<ClusterInfo> clusters = new ListClusters(client, NS).run();
        Golden.assertMatches("cluster/list.json", ListClusters.json(clusters) + "\n");
        Golden.assertMatches("cluster/list.yaml", ListClusters.yaml(clusters));
    }

    @Test
    void statusOfAFailingCluster() {
        Status status = new Status(client, NS);
        status.name = "testing2";
        Golden.assertMatches("cluster/status-testing2.txt", status.describe(status.run(), NOW));
    }

    @Test
    void statusOfAReadyCluster() {
        Status status = new Status(client, NS);
        status.name = "testing1";
        Golden.assertMatches("cluster/status-testing1.txt", status.describe(status.run(), NOW));
    }

    @Test
    void statusOfAnUnknownClusterNamesTheInstalledOnes() {
        Status status = new Status(client, NS);
        status.name = "nope";
        assertThatThrownBy(status::run).isInstanceOf(KdkException.class)
                .hasMessage("no cluster nope in release kdk (namespace kdk-test); installed: testing1, testing2");
    }
}

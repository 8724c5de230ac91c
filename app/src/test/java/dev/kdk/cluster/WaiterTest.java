package dev.kdk.cluster;

import static dev.kdk.cluster.ClusterFixtures.create;
import static dev.kdk.cluster.InstallTest.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kdk.KdkException;
import dev.kdk.testing.MockHostCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WaiterTest {
    final MockHostCluster server = new MockHostCluster();
    final KubernetesClient client = server.client();
    final StringWriter progress = new StringWriter();

    @AfterEach
    void close() {
        server.close();
    }

    Waiter waiter(Duration timeout) {
        Waiter waiter = new Waiter(client, NS, "kdk");
        waiter.timeout = timeout;
        waiter.out = new PrintWriter(progress, true);
        return waiter;
    }

    @Test
    void returnsWhenEveryClusterBecomesReady() throws Exception {
        create(client, ClusterFixtures.ready(NS, "testing1", 0, "2026-01-01T00:00:00Z"));
        create(client, ClusterFixtures.starting(NS, "testing2", "2026-01-01T00:00:00Z"));
        Waiter waiter = waiter(Duration.ofMinutes(1));
        CompletableFuture<List<ClusterInfo>> done = CompletableFuture.supplyAsync(
                () -> waiter.await(List.of("testing1", "testing2")));
        Thread.sleep(300);
        assertThat(done).isNotDone();
        client.resource(ClusterFixtures.ready(NS, "testing2", 0, "2026-01-01T00:00:00Z")).update();

        List<ClusterInfo> result = done.get(30, TimeUnit.SECONDS);
        assertThat(result).extracting(c -> c.phase().phase()).containsOnly(Phase.Ready);
        assertThat(progress.toString()).contains("testing2  Starting  waiting for the inner API server")
                .contains("testing2  Ready").doesNotContain("\033[");
    }

    @Test
    void timeoutNamesWhatIsNotReadyAndWhy() {
        create(client, ClusterFixtures.ready(NS, "testing1", 0, "2026-01-01T00:00:00Z"));
        create(client, ClusterFixtures.imagePullBackOff(NS, "testing2"));
        assertThatThrownBy(() -> waiter(Duration.ofSeconds(2)).await(List.of("testing1", "testing2", "testing3")))
                .isInstanceOf(KdkException.class)
                .hasMessage("timed out after 2s: 2 of 3 clusters not ready\n"
                        + "testing2: Failed (ImagePullBackOff: Back-off pulling image "
                        + "\"registry.example.org/kdk/kdk-node:0.1.0\")\n"
                        + "testing3: Pending (no StatefulSet yet)");
    }

    @Test
    void ansiRedrawsInPlaceOnATerminal() {
        create(client, ClusterFixtures.ready(NS, "testing1", 0, "2026-01-01T00:00:00Z"));
        Waiter waiter = waiter(Duration.ofSeconds(5));
        waiter.ansi = true;
        waiter.await(List.of("testing1"));
        assertThat(progress.toString()).startsWith("\r\033[2Ktesting1  Ready");
    }
}

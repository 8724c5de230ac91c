package dev.kdk.cluster;

import static dev.kdk.cluster.InstallTest.EXAMPLE;
import static dev.kdk.cluster.InstallTest.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kdk.KdkException;
import dev.kdk.kube.KubeClients;
import dev.kdk.kube.KubeTarget;
import dev.kdk.testing.MockHostCluster;
import dev.kdk.values.ValuesLoader;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each error a user can act on, as the one line kdk prints. */
class InstallErrorsTest {
    final MockHostCluster server = new MockHostCluster();
    final KubernetesClient client = server.client();
    @TempDir
    Path tmp;

    @AfterEach
    void close() {
        server.close();
    }

    Install install(KubernetesClient c) {
        Install install = new Install(c, NS);
        install.values = new ValuesLoader.Request(List.of(EXAMPLE.toString()), List.of(), List.of(), "kdk");
        return install;
    }

    void createNamespace() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
        server.api().clearJournal();
    }

    @Test
    void missingNamespaceSuggestsCreateNamespace() {
        server.api().requireNamespaces(true);
        assertThatThrownBy(() -> install(client).run()).isInstanceOf(KdkException.class)
                .hasMessage("namespace kdk-test does not exist: create it, or pass --create-namespace");
        assertThat(server.api().writes()).isEmpty();
    }

    @Test
    void missingNamespaceFoundOnlyWhenApplyingIsMappedToo() {
        // An admin who may not read namespaces: kdk learns of the missing namespace from the apply's 404.
        server.api().requireNamespaces(true);
        server.api().forbid("get", "namespaces");
        assertThatThrownBy(() -> install(client).run()).isInstanceOf(KdkException.class)
                .hasMessageStartingWith("testing1: namespace kdk-test does not exist: create it, or pass "
                        + "--create-namespace")
                .hasMessageContaining("applied: none; not applied: testing1, testing2");
    }

    @Test
    void forbiddenNamesVerbAndResource() {
        createNamespace();
        server.api().forbid("apply", "secrets");
        assertThatThrownBy(() -> install(client).run()).isInstanceOf(KdkException.class)
                .hasMessageContaining("forbidden: cannot apply Secret kdk-testing1-ca in namespace kdk-test: ")
                .hasMessageContaining("cannot apply resource \"secrets\" in API group \"\" in the namespace "
                        + "\"kdk-test\"")
                .hasMessageContaining("ask a cluster admin to grant this permission");
    }

    @Test
    void forbiddenListIsReportedBeforeAnyWrite() {
        createNamespace();
        server.api().forbid("list", "secrets");
        assertThatThrownBy(() -> install(client).run()).isInstanceOf(KdkException.class)
                .hasMessageStartingWith("forbidden: cannot list secrets in namespace kdk-test: ");
        assertThat(server.api().writes()).isEmpty();
    }

    @Test
    void unreachableServerNamesServerAndContext() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path kubeconfig = Files.writeString(tmp.resolve("config"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: gone
                  cluster:
                    server: https://127.0.0.1:%d
                users:
                - name: u
                  user:
                    token: t
                contexts:
                - name: team-cluster
                  context: {cluster: gone, user: u, namespace: kdk-test}
                current-context: team-cluster
                """.formatted(port));
        var config = new ConfigBuilder(new KubeClients(Map.of()).config(new KubeTarget(kubeconfig, null, null)))
                .withRequestRetryBackoffLimit(0).build();
        try (KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(config).build()) {
            assertThatThrownBy(() -> install(unreachable).run()).isInstanceOf(KdkException.class)
                    .hasMessageStartingWith("cannot reach the Kubernetes API server https://127.0.0.1:" + port
                            + "/ (context team-cluster): ")
                    .hasMessageEndingWith("check --kubeconfig/--context and that the cluster is up");
        }
    }

    @Test
    void conflictHalfWayNamesAppliedAndNotAppliedAndRerunCompletes() {
        createNamespace();
        server.api().fail(r -> "apply".equals(r.verb()) && "kdk-testing2".equals(r.name())
                && "statefulsets".equals(r.resource()), 409, "Conflict",
                "Apply failed with 1 conflict: conflict with \"kubectl\" using apps/v1: .spec.replicas");

        assertThatThrownBy(() -> install(client).run()).isInstanceOf(KdkException.class)
                .hasMessage("testing2: conflict: cannot apply StatefulSet kdk-testing2 in namespace kdk-test: Apply "
                        + "failed with 1 conflict: conflict with \"kubectl\" using apps/v1: .spec.replicas; re-run, or "
                        + "pass --force to take over the conflicting fields\n"
                        + "applied: testing1; not applied: testing2; re-run to complete");
        ReleaseRecord record = new ReleaseStore(client, NS).load("kdk");
        assertThat(record.status()).isEqualTo("failed");
        assertThat(record.clusters()).containsOnlyKeys("testing1");

        server.api().clearFaults();
        server.api().clearJournal();
        Install.Result rerun = install(client).run();
        assertThat(rerun.report().results()).extracting(Applier.Result::cluster, Applier.Result::created,
                Applier.Result::updated).containsExactly(org.assertj.core.groups.Tuple.tuple("testing1", 0, 0),
                        org.assertj.core.groups.Tuple.tuple("testing2", 1, 0));
        assertThat(new ReleaseStore(client, NS).load("kdk").status()).isEqualTo("deployed");
    }

    @Test
    void clustersNotStartedAfterAFailureAreNamed() {
        createNamespace();
        server.api().forbid("apply", "networkpolicies");
        Install install = install(client);
        install.parallelism = 1;
        assertThatThrownBy(install::run).isInstanceOf(KdkException.class)
                .hasMessageStartingWith("testing1: forbidden: cannot apply NetworkPolicy kdk-testing1")
                .hasMessageEndingWith("applied: none; not applied: testing1, testing2; re-run to complete");
        assertThat(server.api().journal()).noneMatch(r -> r.path().contains("testing2"));
    }
}

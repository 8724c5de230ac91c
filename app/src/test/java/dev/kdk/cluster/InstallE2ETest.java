package dev.kdk.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kdk.kube.KubeClients;
import dev.kdk.kube.KubeTarget;
import dev.kdk.values.ValuesLoader;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Against a real host cluster, only when {@code KDK_E2E_KUBECONFIG} names a kubeconfig (otherwise reported as
 * skipped): server dry run, install into a fresh namespace, unchanged re-run, list, uninstall with data, then the
 * namespace is deleted. Does not wait for the pods (the cluster may not allow privileged pods).
 */
class InstallE2ETest {
    @Test
    void installReinstallUninstallOnARealCluster() {
        String kubeconfig = System.getenv("KDK_E2E_KUBECONFIG");
        assumeTrue(kubeconfig != null && !kubeconfig.isBlank(), "KDK_E2E_KUBECONFIG is not set");
        String ns = "kdk-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        try (KubernetesClient client = new KubeClients(Map.of()).client(new KubeTarget(Path.of(kubeconfig), null, ns))) {
            try {
                Install install = new Install(client, ns);
                install.values = new ValuesLoader.Request(List.of(InstallTest.EXAMPLE.toString()), List.of(),
                        List.of(), "kdk");
                install.createNamespace = true;
                Install.Result first = install.run();
                assertThat(first.report().applied()).containsExactly("testing1", "testing2");
                Install.Result again = install.run();
                assertThat(again.report().writes()).isZero();
                Install dry = new Install(client, ns);
                dry.values = install.values;
                dry.dryRun = Install.DryRun.server;
                assertThat(dry.run().report().failed()).isEmpty();
                assertThat(new ListClusters(client, ns).run()).extracting(ClusterInfo::name)
                        .containsExactly("testing1", "testing2");
                Uninstall uninstall = new Uninstall(client, ns);
                uninstall.all = true;
                uninstall.deleteData = true;
                assertThat(uninstall.run()).hasSize(2);
            } finally {
                client.namespaces().withName(ns).delete();
            }
        }
    }
}

package dev.kdk.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubectl's rules for choosing kubeconfig, context and namespace, plus what a kdk subshell passes on. */
class KubeClientsTest {
    @TempDir
    Path dir;

    private Path kubeconfig(String name, String namespace) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, String.join("\n", "apiVersion: v1", "kind: Config", "current-context: a",
                "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:6443'}}]",
                "users: [{name: u, user: {token: t}}]",
                "contexts: [{name: a, context: {cluster: c, user: u, namespace: " + namespace + "}},"
                        + " {name: b, context: {cluster: c, user: u}}]", ""));
        return file;
    }

    @Test
    void flagsThenKubeconfigVariableThenHome() throws IOException {
        Path first = kubeconfig("first", "ns-a");
        Path second = kubeconfig("second", "ns-b");
        KubeClients clients = new KubeClients(Map.of("KUBECONFIG", dir.resolve("missing") + ":" + first + ":" + second));
        assertThat(clients.kubeconfigFile(KubeTarget.defaults())).isEqualTo(first);
        assertThat(clients.kubeconfigFile(new KubeTarget(second, null, null))).isEqualTo(second);
        assertThat(clients.config(KubeTarget.defaults()).getNamespace()).isEqualTo("ns-a");
        assertThat(clients.config(new KubeTarget(null, "b", null)).getNamespace()).isEqualTo("default");
        assertThat(clients.config(new KubeTarget(null, "a", "flag-ns")).getNamespace()).isEqualTo("flag-ns");
    }

    @Test
    void insideASubshellTheHostKubeconfigContextAndNamespaceAreTheDefaults() throws IOException {
        Path host = kubeconfig("host", "ns-a");
        Path inner = kubeconfig("inner", "inner-ns");
        KubeClients clients = new KubeClients(Map.of("KUBECONFIG", inner.toString(),
                KubeClients.HOST_KUBECONFIG_ENV, host.toString(), KubeClients.HOST_CONTEXT_ENV, "b",
                KubeClients.HOST_NAMESPACE_ENV, "team"));
        assertThat(clients.kubeconfigFile(KubeTarget.defaults())).isEqualTo(host);
        assertThat(clients.resolve(KubeTarget.defaults())).isEqualTo(new KubeTarget(null, "b", "team"));
        assertThat(clients.config(KubeTarget.defaults()).getNamespace()).isEqualTo("team");
        // explicit flags still win, and --kubeconfig leaves the subshell's defaults out entirely
        assertThat(clients.resolve(new KubeTarget(null, "a", "mine"))).isEqualTo(new KubeTarget(null, "a", "mine"));
        assertThat(clients.resolve(new KubeTarget(inner, null, null))).isEqualTo(new KubeTarget(inner, null, null));
        assertThat(clients.config(new KubeTarget(inner, null, null)).getNamespace()).isEqualTo("inner-ns");
    }
}

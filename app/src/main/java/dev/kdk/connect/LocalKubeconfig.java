package dev.kdk.connect;

import dev.kdk.KdkException;
import dev.kdk.pki.Kubeconfigs;
import io.fabric8.kubernetes.client.KubernetesClient;

/** {@code kdk kubeconfig}: the developer's kubeconfig with its server pointed at a local forward. */
public final class LocalKubeconfig {
    private final KubernetesClient client;

    public LocalKubeconfig(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Returns the kubeconfig (JSON, which kubectl reads as YAML) of cluster {@code name} with server
     * {@code https://127.0.0.1:<port>}; TLS data is
     * kept (the server certificate names 127.0.0.1 and localhost). Throws KdkException: exit 2 for a port outside
     * 1-65535, exit 1 as {@link KubeconfigSecretReader#read} does.
     */
    public String forLocalPort(ClusterName name, int port) {
        if (port < 1 || port > 65535) {
            throw new KdkException("--port " + port + " is not a TCP port (1-65535)", KdkException.USAGE, null);
        }
        String source = "Secret " + client.getNamespace() + "/" + name.kubeconfigSecretName() + " key "
                + KubeconfigSecretReader.KEY;
        return Kubeconfigs.withServer(new KubeconfigSecretReader(client).read(name),
                Connector.server("127.0.0.1", port), source);
    }
}

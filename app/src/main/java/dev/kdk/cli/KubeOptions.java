package dev.kdk.cli;

import dev.kdk.kube.KubeClients;
import dev.kdk.kube.KubeTarget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** kubectl's flags for choosing the host cluster, shared by every command that talks to it. */
public class KubeOptions {
    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "The kubeconfig context to use.")
    String context;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
            description = "The namespace of the kdk release (default: the context's namespace).")
    String namespace;

    /** The host cluster these flags choose (unset flags are null). */
    public KubeTarget target() {
        return new KubeTarget(kubeconfig, context, namespace);
    }

    /**
     * A client for {@link #target()}, its namespace resolved as kubectl does; the caller closes it. Throws
     * KdkException naming the kubeconfig or context when they cannot be read.
     */
    public KubernetesClient client() {
        return new KubeClients().client(target());
    }
}

package dev.kdk.cli;

import dev.kdk.kube.KubeTarget;
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

    public KubeTarget target() {
        return new KubeTarget(kubeconfig, context, namespace);
    }
}

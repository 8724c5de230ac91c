package dev.kdk.cli;

import dev.kdk.connect.ClusterName;
import dev.kdk.connect.LocalKubeconfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kdk kubeconfig NAME [--port N]}: prints the developer's kubeconfig for a forward on 127.0.0.1:N. */
@Command(name = "kubeconfig", mixinStandardHelpOptions = true,
        description = {"Print cluster NAME's kubeconfig with its server set to https://127.0.0.1:N, for your own "
                + "port-forward or IDE.", "",
            "It contains your client key: write it to a private file, e.g.",
            "  (umask 077; kdk kubeconfig testing1 > ~/.kube/kdk-testing1)"})
public class KubeconfigCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    KubeOptions kube;

    @Mixin
    ClusterArgument cluster;

    @Option(names = "--port", paramLabel = "N", defaultValue = "16443",
            description = "Local port the server URL names (default ${DEFAULT-VALUE}).")
    int port;

    @Override
    public void run() {
        ClusterName name = cluster.clusterName();
        try (KubernetesClient client = kube.client()) {
            String kubeconfig = new LocalKubeconfig(client).forLocalPort(name, port);
            PrintWriter out = spec.commandLine().getOut();
            out.print(kubeconfig);
            out.flush();
        }
    }
}

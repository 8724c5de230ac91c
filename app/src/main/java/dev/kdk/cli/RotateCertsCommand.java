package dev.kdk.cli;

import dev.kdk.cluster.RotateCerts;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kdk rotate-certs NAME...}. */
@Command(name = "rotate-certs", mixinStandardHelpOptions = true,
        description = {"Issue a new client certificate for each named cluster and rewrite its kubeconfig Secret.",
            "The cluster's CA is kept. The developer gets the new kubeconfig with their next `kdk connect`."})
public class RotateCertsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    KubeOptions kube;

    @Parameters(paramLabel = "NAME", arity = "1..*", description = "Clusters whose client certificate to rotate.")
    List<String> names;

    @Mixin
    ReleaseOption release;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        try (KubernetesClient client = kube.client()) {
            RotateCerts action = new RotateCerts(client, client.getNamespace());
            action.release = release.name;
            action.names = names;
            for (RotateCerts.Result r : action.run()) {
                out.println("rotated " + r.cluster() + ": new client certificate for " + r.owner() + ", expires "
                        + r.notAfter());
            }
        }
        out.flush();
    }
}

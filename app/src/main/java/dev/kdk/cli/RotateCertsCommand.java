package dev.kdk.cli;

import dev.kdk.cluster.RotateCerts;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kdk rotate-certs NAME...}. */
@Command(name = "rotate-certs", mixinStandardHelpOptions = true,
        description = {"Issue a new client certificate for each named cluster and rewrite its kubeconfig Secret.",
            "The cluster's CA is kept. The developer gets the new kubeconfig with their next `kdk connect`."})
public class RotateCertsCommand extends ReleaseCommand {
    @Parameters(paramLabel = "NAME", arity = "1..*", description = "Clusters whose client certificate to rotate.")
    List<String> names;

    @Override
    void run(KubernetesClient client, String namespace, PrintWriter out) {
        RotateCerts action = new RotateCerts(client, namespace);
        action.release = release;
        action.names = names;
        for (RotateCerts.Result r : action.run()) {
            out.println("rotated " + r.cluster() + ": new client certificate for " + r.owner() + ", expires "
                    + r.notAfter());
        }
    }
}

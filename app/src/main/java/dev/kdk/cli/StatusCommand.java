package dev.kdk.cli;

import dev.kdk.cluster.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kdk status NAME}. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show one cluster: phase, pod conditions, container state, last events, certificate expiry and "
                + "the command to connect.")
public class StatusCommand extends ReleaseCommand {
    @Parameters(paramLabel = "NAME", description = "The cluster.")
    String name;

    @Override
    void run(KubernetesClient client, String namespace, PrintWriter out) {
        Status action = new Status(client, namespace);
        action.release = release;
        action.name = name;
        out.print(action.describe(action.run(), Instant.now()));
    }
}

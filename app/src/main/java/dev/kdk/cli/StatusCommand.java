package dev.kdk.cli;

import dev.kdk.cluster.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kdk status NAME}. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show one cluster: phase, pod conditions, container state, last events, certificate expiry and "
                + "the command to connect.")
public class StatusCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    KubeOptions kube;

    @Parameters(paramLabel = "NAME", description = "The cluster.")
    String name;

    @Mixin
    ReleaseOption release;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        try (KubernetesClient client = kube.client()) {
            Status action = new Status(client, client.getNamespace());
            action.release = release.name;
            action.name = name;
            out.print(action.describe(action.run(), Instant.now()));
        }
        out.flush();
    }
}

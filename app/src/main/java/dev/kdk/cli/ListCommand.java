package dev.kdk.cli;

import dev.kdk.cluster.ClusterInfo;
import dev.kdk.cluster.ListClusters;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kdk list [-o table|json|yaml]}. */
@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
        description = "List the clusters of a release: owner, readiness, phase, restarts, age, certificate expiry.")
public class ListCommand implements Runnable {
    /** Output formats. */
    public enum Format { table, json, yaml }

    @Spec
    CommandSpec spec;

    @Mixin
    KubeOptions kube;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table, json or yaml (default: ${DEFAULT-VALUE}).")
    Format output;

    @Mixin
    ReleaseOption release;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        try (KubernetesClient client = kube.client()) {
            ListClusters action = new ListClusters(client, client.getNamespace());
            action.release = release.name;
            List<ClusterInfo> clusters = action.run();
            switch (output) {
                case json -> out.println(ListClusters.json(clusters));
                case yaml -> out.print(ListClusters.yaml(clusters));
                default -> {
                    if (clusters.isEmpty()) {
                        spec.commandLine().getErr().println("no clusters in release " + release.name + " (namespace "
                                + client.getNamespace() + ")");
                    } else {
                        out.print(ListClusters.table(clusters, Instant.now()));
                    }
                }
            }
        }
        out.flush();
    }
}

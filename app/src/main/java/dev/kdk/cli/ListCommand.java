package dev.kdk.cli;

import dev.kdk.cluster.ClusterInfo;
import dev.kdk.cluster.ListClusters;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kdk list [-o table|json|yaml]}. */
@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
        description = "List the clusters of a release: owner, readiness, phase, restarts, age, certificate expiry.")
public class ListCommand extends ReleaseCommand {
    /** Output formats. */
    public enum Format { table, json, yaml }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table, json or yaml (default: ${DEFAULT-VALUE}).")
    Format output;

    @Override
    void run(KubernetesClient client, String namespace, PrintWriter out) {
        ListClusters action = new ListClusters(client, namespace);
        action.release = release;
        List<ClusterInfo> clusters = action.run();
        switch (output) {
            case json -> out.println(ListClusters.json(clusters));
            case yaml -> out.print(ListClusters.yaml(clusters));
            default -> {
                if (clusters.isEmpty()) {
                    spec.commandLine().getErr().println("no clusters in release " + release + " (namespace "
                            + namespace + ")");
                } else {
                    out.print(ListClusters.table(clusters, Instant.now()));
                }
            }
        }
    }
}

package dev.kdk.cli;

import dev.kdk.cluster.ClusterDeleter;
import dev.kdk.cluster.Uninstall;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kdk uninstall [NAME ...|--all] [--delete-data]}. */
@Command(name = "uninstall", mixinStandardHelpOptions = true,
        description = {"Delete clusters of a release from the host cluster.",
            "Their Docker data (PersistentVolumeClaims) is kept unless --delete-data is given."})
public class UninstallCommand extends ReleaseCommand {
    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Clusters to delete.")
    List<String> names = new ArrayList<>();

    @Option(names = "--all", description = "Delete every cluster of the release.")
    boolean all;

    @Option(names = "--delete-data", description = "Also delete the clusters' PersistentVolumeClaims (their data).")
    boolean deleteData;

    @Override
    void checkArguments() {
        if (all && !names.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give cluster names or --all, not both");
        }
    }

    @Override
    void run(KubernetesClient client, String namespace, PrintWriter out) {
        Uninstall action = new Uninstall(client, namespace);
        action.release = release;
        action.names = names;
        action.all = all;
        action.deleteData = deleteData;
        List<ClusterDeleter.Result> results = action.run();
        if (results.isEmpty()) {
            out.println("nothing to uninstall: release " + release + " has no clusters in namespace " + namespace);
        }
        for (ClusterDeleter.Result r : results) {
            out.println("uninstalled " + r.cluster() + " (" + r.deleted().size() + " objects deleted)");
            r.deletedVolumes().forEach(v -> out.println("  deleted data volume " + v));
            r.keptVolumes().forEach(v -> out.println("  kept data volume " + v + " (use --delete-data to delete it)"));
        }
    }
}

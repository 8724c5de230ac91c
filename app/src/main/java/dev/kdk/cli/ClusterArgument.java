package dev.kdk.cli;

import dev.kdk.connect.ClusterName;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The developer cluster a command acts on: {@code NAME} (with or without the release prefix) and {@code --release}. */
public class ClusterArgument {
    @Option(names = "--release", paramLabel = "NAME", defaultValue = ClusterName.DEFAULT_RELEASE,
            description = "The release the cluster belongs to (default: ${DEFAULT-VALUE}).")
    String release;

    @Parameters(index = "0", paramLabel = "NAME", description = "The cluster: testing1 or kdk-testing1.")
    String name;

    /** The parsed name; throws KdkException (exit 2) if it is not a DNS label. */
    public ClusterName clusterName() {
        return ClusterName.parse(release, name);
    }
}

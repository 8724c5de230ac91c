package dev.kdk.cli;

import dev.kdk.KdkException;
import dev.kdk.values.ClusterValues;
import dev.kdk.values.ReleaseValues;
import java.util.List;
import java.util.stream.Collectors;

/** Narrows a release to the clusters named by {@code --cluster}. */
final class Selection {
    private Selection() {
    }

    /** The release with only {@code names} (all if empty); throws KdkException (exit 2) naming an unknown cluster. */
    static ReleaseValues only(ReleaseValues release, List<String> names) {
        if (names.isEmpty()) {
            return release;
        }
        for (String n : names) {
            if (release.cluster(n) == null) {
                throw new KdkException("no cluster `" + n + "` in the values; clusters: " + release.clusters().stream()
                        .map(ClusterValues::name).collect(Collectors.joining(", ")), KdkException.USAGE, null);
            }
        }
        return new ReleaseValues(release.release(), release.values(),
                release.clusters().stream().filter(c -> names.contains(c.name())).toList(), release.digest());
    }
}
